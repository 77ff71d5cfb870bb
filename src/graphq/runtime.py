"""Everything one running graphq process shares: settings, database, queue, events, files."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphq.config import Settings
from graphq.db.database import Database
from graphq.queue.context import QueueContext
from graphq.queue.engine import QueueEngine
from graphq.queue.events import EventBus
from graphq.queue.front import QueueFront
from graphq.queue.registry import HandlerRegistry
from graphq.queue.workers import WorkerPool
from graphq.storage import Storage

# Modules that register the built-in job kinds; each exposes ``register(registry)``.
BUILTIN_HANDLER_MODULES = ("graphq.jobs.digitize", "graphq.jobs.datasheet", "graphq.jobs.spice_fit")


@dataclass
class Runtime:
    """The process's parts, each handed on its own to what needs it (``graphq.api.deps``)."""

    settings: Settings
    db: Database
    events: EventBus
    registry: HandlerRegistry
    engine: QueueEngine
    # What services may ask of the engine; they never see the engine itself.
    front: QueueFront
    storage: Storage
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
        front=QueueFront(engine),
        storage=Storage(settings.data_dir),
    )
