"""Everything one running graphq process shares: settings, database, queue, events, files."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphq.api.ratelimit import RateLimiter
from graphq.config import Settings
from graphq.db.database import Database
from graphq.queue.context import QueueContext
from graphq.queue.engine import QueueEngine
from graphq.queue.events import EventBus
from graphq.queue.registry import HandlerRegistry
from graphq.queue.workers import WorkerPool
from graphq.storage import Storage

# Modules that register the built-in job kinds; each exposes ``register(registry)``.
BUILTIN_HANDLER_MODULES = ("graphq.jobs.digitize", "graphq.jobs.datasheet", "graphq.jobs.spice_fit")


@dataclass
class Runtime:
    settings: Settings
    db: Database
    events: EventBus
    registry: HandlerRegistry
    engine: QueueEngine
    storage: Storage
    rate_limiter: RateLimiter
    unauthenticated_limiter: RateLimiter
    # Keys revoked through this process's API: their open event streams end within a second.
    revoked_keys: set[str] = field(default_factory=set)


def build_runtime(settings: Settings, *, handler_modules: Sequence[str] | None = None) -> Runtime:
    """Wire one process's parts; ``handler_modules`` replaces the built-in job kinds."""
    db = Database(settings.database_url)
    events = EventBus(replay_size=settings.events.replay_size)
    registry = HandlerRegistry()
    if handler_modules is None:
        handler_modules = [*BUILTIN_HANDLER_MODULES, *settings.queue.handler_modules]
    modules = list(handler_modules)
    for name in modules:
        importlib.import_module(name).register(registry)
    pool = WorkerPool(
        settings.queue.worker_slots,
        preload=modules,
        memory_limit_mb=settings.queue.worker_memory_mb,
    )
    engine = QueueEngine(QueueContext(db, settings, registry, events, pool))
    return Runtime(
        settings=settings,
        db=db,
        events=events,
        registry=registry,
        engine=engine,
        storage=Storage(settings.data_dir),
        rate_limiter=RateLimiter(
            settings.auth.rate_limit_per_minute, settings.auth.rate_limit_burst
        ),
        unauthenticated_limiter=RateLimiter(
            settings.auth.unauthenticated_per_minute, settings.auth.unauthenticated_burst
        ),
    )
