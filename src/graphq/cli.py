"""The ``graphq`` command: serve, migrate, manage keys; digitize, read datasheets and fit
without a server."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graphq.config import Settings, load_settings
from graphq.errors import GraphqError

# Commands whose modules import heavy libraries (the database layer, numpy and scipy, the PDF
# reader, the SPICE fitter): each is imported only when it is the command given, so that
# ``graphq --help`` lists them from their help line alone and answers at once.
_KEYS_HELP = "manage API keys"
_LAZY_COMMANDS = {
    "digitize": ("graphq.commands.digitize", "extract curves from a graph image"),
    "datasheet": ("graphq.commands.datasheet", "read every graph of a datasheet PDF"),
    "fit": ("graphq.commands.fit", "fit a SPICE model to digitized curves"),
}


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, dict[str, Any]] = {}
    if getattr(args, "data_dir", None):
        overrides["storage"] = {"data_dir": args.data_dir}
    if getattr(args, "database_url", None):
        overrides.setdefault("storage", {})["database_url"] = args.database_url
    if getattr(args, "host", None):
        overrides.setdefault("server", {})["host"] = args.host
    if getattr(args, "port", None):
        overrides.setdefault("server", {})["port"] = args.port
    return load_settings(Path(args.config) if args.config else None, overrides=overrides)


async def _first_admin_key(settings: Settings) -> str | None:
    """On an empty key table, make the admin key that lets the operator in."""
    from graphq.db.database import Database
    from graphq.services import keys

    db = Database(settings.database_url)
    try:
        if await keys.count_keys(db) > 0:
            return None
        _, secret = await keys.create_key(db, name="initial admin", role="admin")
        return secret
    finally:
        await db.dispose()


def serve(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from graphq.api.header_timeout import with_header_deadline
    from graphq.app import create_app
    from graphq.db.migrate import upgrade
    from graphq.logs import configure_logging

    settings = _settings(args)
    configure_logging(settings.server.log_level, as_json=settings.server.log_json)
    upgrade(settings)
    if settings.auth.enabled:
        secret = asyncio.run(_first_admin_key(settings))
        if secret:
            print(
                "Created the first admin API key (shown once, store it now):\n"
                f"  {secret}\n"
                "Use it as: Authorization: Bearer <key>",
                flush=True,
            )
    uvicorn.run(
        create_app(settings),
        host=settings.server.host,
        port=settings.server.port,
        log_config=None,
        http=with_header_deadline(AutoHTTPProtocol, settings.server.header_timeout_s),
        timeout_graceful_shutdown=int(settings.queue.shutdown_timeout_s) + 5,
        proxy_headers=bool(settings.server.trusted_proxies),
        forwarded_allow_ips=settings.server.trusted_proxies or None,
    )
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from graphq.db.migrate import upgrade

    settings = _settings(args)
    upgrade(settings)
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    print(f"database at {shown} is up to date")
    return 0


def keys_command(args: argparse.Namespace) -> int:
    from graphq.db.database import Database
    from graphq.db.migrate import upgrade
    from graphq.services import keys

    settings = _settings(args)
    upgrade(settings)

    async def run() -> int:
        db = Database(settings.database_url)
        try:
            if args.keys_action == "create":
                key, secret = await keys.create_key(db, name=args.name, role=args.role)
                print(f"{key.id}\t{key.role}\t{key.name}\n{secret}")
            elif args.keys_action == "list":
                for key in await keys.list_keys(db):
                    state = "revoked" if key.revoked_at else "active"
                    used = key.last_used_at.isoformat() if key.last_used_at else "never"
                    print(
                        f"{key.id}\t{key.role}\t{state}\t{key.prefix}…"
                        f"\tlast used {used}\t{key.name}"
                    )
            else:
                key = await keys.revoke_key(db, args.key_id)
                print(f"revoked {key.id} ({key.name})")
        finally:
            await db.dispose()
        return 0

    return asyncio.run(run())


def _add_storage_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="files (and the SQLite database) live here")
    parser.add_argument(
        "--database-url",
        help="sqlite+aiosqlite:///… or postgresql+asyncpg://user@host/db "
        "(over storage.database_url and $GRAPHQ_STORAGE_DATABASE_URL)",
    )


def _register_keys(subparsers: argparse._SubParsersAction) -> None:
    """The ``keys`` command (its roles come from the key service, which needs the database
    layer)."""
    from graphq.services import keys

    keys_parser = subparsers.add_parser("keys", help=_KEYS_HELP)
    _add_storage_options(keys_parser)
    key_actions = keys_parser.add_subparsers(dest="keys_action", required=True)
    create = key_actions.add_parser("create", help="create a key and print its secret once")
    create.add_argument("--role", choices=keys.ROLES, default="viewer")
    create.add_argument("--name", default="cli")
    key_actions.add_parser("list", help="list keys (never their secrets)")
    revoke = key_actions.add_parser("revoke", help="revoke a key")
    revoke.add_argument("key_id")
    keys_parser.set_defaults(func=keys_command)


def _command_given(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (after the global options), if any."""
    global_options = argparse.ArgumentParser(add_help=False)
    global_options.add_argument("--config")
    _, rest = global_options.parse_known_args(list(argv))
    return rest[0] if rest and not rest[0].startswith("-") else None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv``, only its command is built in full and the others
    are listed by name and help line, without importing them."""
    parser = argparse.ArgumentParser(prog="graphq", description=__doc__)
    parser.add_argument("--config", help="config file (default: ./config.toml or $GRAPHQ_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="apply migrations and run the server")
    _add_storage_options(serve_parser)
    serve_parser.add_argument("--host")
    serve_parser.add_argument("--port", type=int)
    serve_parser.set_defaults(func=serve)

    db_parser = commands.add_parser("db", help="database maintenance")
    db_actions = db_parser.add_subparsers(dest="db_action", required=True)
    upgrade_parser = db_actions.add_parser("upgrade", help="apply migrations")
    _add_storage_options(upgrade_parser)
    upgrade_parser.set_defaults(func=db_upgrade)

    given = _command_given(argv) if argv is not None else None
    if argv is None or given == "keys":
        _register_keys(commands)
    else:
        commands.add_parser("keys", help=_KEYS_HELP)
    for name, (module, help_line) in _LAZY_COMMANDS.items():
        if argv is None or name == given:
            register_command: Callable[[argparse._SubParsersAction], None] = (
                importlib.import_module(module).register
            )
            register_command(commands)
        else:
            commands.add_parser(name, help=help_line)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
    try:
        return int(args.func(args))
    except GraphqError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
