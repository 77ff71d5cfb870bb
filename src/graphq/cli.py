"""The ``graphq`` command: serve, migrate, manage keys, digitize and fit without a server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphq.commands import digitize as digitize_command
from graphq.commands import fit as fit_command
from graphq.config import Settings, load_settings
from graphq.db.database import Database
from graphq.db.migrate import upgrade
from graphq.errors import GraphqError
from graphq.logs import configure_logging
from graphq.services import keys


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, dict[str, Any]] = {}
    if getattr(args, "data_dir", None):
        overrides["storage"] = {"data_dir": args.data_dir}
    if getattr(args, "host", None):
        overrides.setdefault("server", {})["host"] = args.host
    if getattr(args, "port", None):
        overrides.setdefault("server", {})["port"] = args.port
    return load_settings(Path(args.config) if args.config else None, overrides=overrides)


async def _first_admin_key(settings: Settings) -> str | None:
    """On an empty key table, make the admin key that lets the operator in."""
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

    from graphq.app import create_app

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
        timeout_graceful_shutdown=int(settings.queue.shutdown_timeout_s) + 5,
        proxy_headers=bool(settings.server.trusted_proxies),
        forwarded_allow_ips=settings.server.trusted_proxies or None,
    )
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    settings = _settings(args)
    upgrade(settings)
    print(f"database at {settings.database_url} is up to date")
    return 0


def keys_command(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="graphq", description=__doc__)
    parser.add_argument("--config", help="config file (default: ./config.toml or $GRAPHQ_CONFIG)")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="apply migrations and run the server")
    serve_parser.add_argument("--data-dir")
    serve_parser.add_argument("--host")
    serve_parser.add_argument("--port", type=int)
    serve_parser.set_defaults(func=serve)

    db_parser = commands.add_parser("db", help="database maintenance")
    db_actions = db_parser.add_subparsers(dest="db_action", required=True)
    upgrade_parser = db_actions.add_parser("upgrade", help="apply migrations")
    upgrade_parser.add_argument("--data-dir")
    upgrade_parser.set_defaults(func=db_upgrade)

    keys_parser = commands.add_parser("keys", help="manage API keys")
    keys_parser.add_argument("--data-dir")
    key_actions = keys_parser.add_subparsers(dest="keys_action", required=True)
    create = key_actions.add_parser("create", help="create a key and print its secret once")
    create.add_argument("--role", choices=keys.ROLES, default="viewer")
    create.add_argument("--name", default="cli")
    key_actions.add_parser("list", help="list keys (never their secrets)")
    revoke = key_actions.add_parser("revoke", help="revoke a key")
    revoke.add_argument("key_id")
    keys_parser.set_defaults(func=keys_command)

    digitize_command.register(commands)
    fit_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
