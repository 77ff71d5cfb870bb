"""Settings: ``config.toml`` defaults overridden by ``GRAPHQ_<SECTION>_<KEY>`` variables.

The defaults live in the Structs below and in ``config.toml`` alike, so a missing file still
gives a working server; the environment wins over the file, and CLI flags win over both.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec


class ServerSettings(msgspec.Struct):
    host: str = "127.0.0.1"
    port: int = 8000
    log_json: bool = False
    log_level: str = "INFO"
    max_request_mb: int = 200
    cors_origins: str = ""
    # JSON bodies are a few settings; only uploads need max_request_mb.
    max_json_kb: int = 1024
    # A request whose body stops arriving this long is ended with 408.
    body_timeout_s: float = 30.0
    # A request whose headers are not all in this long after its connection opened (or the
    # previous response ended) is answered 408: a few KB arrive in well under a second even
    # on a slow link, and a client sending half its headers holds a connection no longer.
    header_timeout_s: float = 10.0
    # Comma-separated proxy addresses whose X-Forwarded-For is believed; empty trusts none,
    # so a client cannot pick the address its rate limit is counted against.
    trusted_proxies: str = ""


# The async drivers graphq runs on, by the scheme of a database URL. A PostgreSQL URL
# without a driver (as ``psql`` and most tools write it) means asyncpg.
DATABASE_DRIVERS = {
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}


class StorageSettings(msgspec.Struct):
    # Images, datasheets, CSVs, overlays and models. Several servers on one PostgreSQL
    # database must all mount the same directory here (a shared filesystem), because a row
    # names its file by its path inside this directory.
    data_dir: str = "./data"
    # Empty: the SQLite file <data_dir>/graphq.db. Otherwise a sqlite+aiosqlite:// or
    # postgresql+asyncpg:// URL (postgresql:// is read as asyncpg).
    database_url: str = ""
    # Below this much free space in the data directory /ready answers 503: uploads and
    # results would start failing with 507 soon.
    min_free_mb: int = 200

    def __post_init__(self) -> None:
        if not self.database_url:
            return
        scheme, separator, rest = self.database_url.partition("://")
        driver = DATABASE_DRIVERS.get(scheme)
        if not separator or driver is None:
            raise ValueError(
                f"storage.database_url: no driver for {scheme!r}; use sqlite+aiosqlite:// "
                "or postgresql+asyncpg:// (postgresql:// is read as asyncpg)"
            )
        self.database_url = f"{driver}://{rest}"


class AuthSettings(msgspec.Struct):
    enabled: bool = True
    rate_limit_per_minute: int = 120
    rate_limit_burst: int = 60
    # Requests without a valid key, per client address.
    unauthenticated_per_minute: int = 10
    unauthenticated_burst: int = 30


class UploadSettings(msgspec.Struct):
    max_file_mb: int = 20
    max_pixels: int = 40_000_000
    max_files: int = 50
    max_parts: int = 200
    max_pdf_mb: int = 50
    max_pdf_pages: int = 100


class QueueSettings(msgspec.Struct):
    worker_slots: int = 2
    # Address space each worker process may use; a job needing more fails IMAGE_TOO_LARGE
    # instead of pushing the machine into swap. 0 sets no limit.
    worker_memory_mb: int = 4096
    lease_s: float = 30.0
    max_attempts: int = 3
    retry_base_s: float = 1.0
    retry_cap_s: float = 30.0
    job_timeout_s: float = 300.0
    shutdown_timeout_s: float = 10.0
    backpressure_depth: int = 1000
    handler_modules: list[str] = msgspec.field(default_factory=list)


class EventSettings(msgspec.Struct):
    replay_size: int = 2000
    keepalive_s: float = 15.0


class MonitorSettings(msgspec.Struct):
    max_queue_depth: int = 500
    max_dlq_size: int = 50
    min_success_rate: float = 0.9
    max_avg_duration_s: float = 120.0


class LlmSettings(msgspec.Struct):
    endpoint: str = ""
    api_key: str = ""
    model: str = ""
    timeout_s: float = 60.0


class Settings(msgspec.Struct):
    server: ServerSettings = msgspec.field(default_factory=ServerSettings)
    storage: StorageSettings = msgspec.field(default_factory=StorageSettings)
    auth: AuthSettings = msgspec.field(default_factory=AuthSettings)
    uploads: UploadSettings = msgspec.field(default_factory=UploadSettings)
    queue: QueueSettings = msgspec.field(default_factory=QueueSettings)
    events: EventSettings = msgspec.field(default_factory=EventSettings)
    monitor: MonitorSettings = msgspec.field(default_factory=MonitorSettings)
    llm: LlmSettings = msgspec.field(default_factory=LlmSettings)

    @property
    def data_dir(self) -> Path:
        return Path(self.storage.data_dir).resolve()

    @property
    def database_url(self) -> str:
        if self.storage.database_url:
            return self.storage.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'graphq.db'}"


def known_settings() -> dict[str, tuple[str, ...]]:
    """Every section and its keys, as ``config.toml`` spells them."""
    return {
        section: type(getattr(Settings(), section)).__struct_fields__
        for section in Settings.__struct_fields__
    }


def _suggestion(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_known(values: dict[str, Any], source: str) -> None:
    """Refuse a section or key graphq does not have: a typo (``[sever]``, ``worker_slot``)
    would otherwise leave the setting at its default without a word."""
    known = known_settings()
    for section, keys in values.items():
        if section not in known:
            raise ValueError(
                f"{source}: unknown section [{section}]{_suggestion(section, known)}; "
                f"the sections are {', '.join(known)}"
            )
        if not isinstance(keys, dict):
            raise ValueError(f"{source}: [{section}] must be a table of settings")
        for key in keys:
            if key not in known[section]:
                raise ValueError(
                    f"{source}: unknown setting {section}.{key}"
                    f"{_suggestion(key, known[section])}; "
                    f"[{section}] has {', '.join(known[section])}"
                )


def _env_overrides(environ: dict[str, str]) -> dict[str, dict[str, str]]:
    """``GRAPHQ_<SECTION>_<KEY>`` variables; one naming no setting is an error.

    Single-word names (``GRAPHQ_CONFIG``, the config file) are not settings and are left alone.
    """
    known = known_settings()
    overrides: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        prefix, _, rest = name.partition("_")
        if prefix != "GRAPHQ" or "_" not in rest:
            continue
        section = next((s for s in known if rest.lower().startswith(f"{s}_")), None)
        if section is None:
            raise ValueError(
                f"environment variable {name}: unknown section "
                f"{rest.split('_')[0].lower()!r}; the sections are {', '.join(known)}"
            )
        key = rest[len(section) + 1 :].lower()
        if key not in known[section]:
            raise ValueError(
                f"environment variable {name}: unknown setting {section}.{key}"
                f"{_suggestion(key, known[section])}; [{section}] has {', '.join(known[section])}"
            )
        overrides.setdefault(section, {})[key] = value
    return overrides


def _merge(base: dict[str, Any], extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged = {section: dict(values) for section, values in base.items()}
    for section, values in extra.items():
        merged.setdefault(section, {}).update(values)
    return merged


def default_config_path() -> Path:
    return Path(os.environ.get("GRAPHQ_CONFIG", "config.toml"))


def load_settings(
    path: Path | None = None,
    *,
    environ: dict[str, str] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> Settings:
    """Read the file (if present), then the environment, then explicit overrides (CLI flags).

    An unknown section or key anywhere is a ValueError naming it. Environment values are
    strings; ``strict=False`` lets msgspec convert ``"9000"`` to an int
    and ``"false"`` to a bool, and rejects anything that does not convert.
    """
    path = path or default_config_path()
    from_file: dict[str, Any] = tomllib.loads(path.read_text()) if path.is_file() else {}
    _check_known(from_file, str(path))
    _check_known(overrides or {}, "overrides")
    merged = _merge(from_file, _env_overrides(dict(os.environ if environ is None else environ)))
    merged = _merge(merged, overrides or {})
    handler_modules = merged.get("queue", {}).get("handler_modules")
    if isinstance(handler_modules, str):
        merged["queue"]["handler_modules"] = [m for m in handler_modules.split(",") if m]
    try:
        return msgspec.convert(merged, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise ValueError(f"invalid configuration: {exc}") from exc
