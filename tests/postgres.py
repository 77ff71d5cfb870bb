"""A throwaway PostgreSQL 15 cluster for tests: data in a temp dir, served on a loopback port.

How to use it
-------------
In a test, take the session-scoped fixture from ``tests/conftest.py``::

    def test_something(postgres_cluster: PostgresCluster) -> None:
        url = postgres_cluster.create_database()      # a fresh, empty database
        ...                                           # postgresql+asyncpg://…@127.0.0.1:PORT/…
        postgres_cluster.drop_database(url)           # optional: the cluster goes at session end

``create_database(template=...)`` copies another database of the cluster (``CREATE DATABASE
… TEMPLATE``, a few tens of milliseconds), so a suite can migrate one database once and hand
each test a copy; ``tests/conftest.py`` keeps such a migrated template (``postgres_template``).
Outside pytest (a benchmark, a script)::

    with PostgresCluster.started() as cluster:
        url = cluster.create_database("bench")

The URL names user ``graphq`` (a superuser, trust authentication: only this machine's loopback
can reach the port) and host ``127.0.0.1``, so separate processes — several ``graphq serve``
nodes — can share it. ``cluster.psql(sql, database)`` runs administrative SQL.

Binaries come from ``$GRAPHQ_PGBIN`` or ``/usr/lib/postgresql/15/bin`` (Debian's
``postgresql-15``; ``scripts/system-packages`` installs it). ``initdb`` refuses to run as
root, so as root the cluster runs as the Debian ``postgres`` user, or ``nobody`` where that
user does not exist, in a directory made for it under the system temp dir. Durability is
switched off (``fsync=off``, ``synchronous_commit=off``): the data is thrown away. A watchdog
process stops the cluster and removes its directory if the process that started it dies
without calling ``stop()``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BIN_DIR = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "graphq"
# Non-durable and small: a test cluster trades safety for speed. Connections: every test
# opens a few engines (app, queue, key making), each with a pool; the default 100 can run out
# when a three-node test runs beside the suite.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "64MB",
}
START_TIMEOUT_S = 30.0
# Stops the cluster and removes its files once the process that started it is gone, however
# it ended (a test run killed by a timeout never reaches its fixtures' teardown). /proc, not
# ``kill -0``: the watchdog runs as the cluster's user and may not signal a root process.
WATCHDOG = """
while [ -d "/proc/$0" ]; do sleep 1; done
"$1" stop -D "$2" -m immediate >/dev/null 2>&1
rm -rf "$3"
"""


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL 15's binaries are not installed (``scripts/system-packages`` installs them)."""


def find_bin_dir() -> Path:
    """The directory holding PostgreSQL 15's ``initdb``, ``pg_ctl``, ``postgres`` and ``psql``."""
    configured = os.environ.get("GRAPHQ_PGBIN")
    bin_dir = Path(configured) if configured else DEFAULT_BIN_DIR
    if not (bin_dir / "initdb").is_file():
        raise PostgresUnavailableError(f"no PostgreSQL binaries in {bin_dir} (set GRAPHQ_PGBIN)")
    return bin_dir


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cluster_user() -> pwd.struct_passwd | None:
    """The user to run the cluster as: None (this one) unless we are root, whom initdb refuses."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailableError("as root, initdb needs a user 'postgres' or 'nobody' to run as")


@dataclass
class PostgresCluster:
    bin_dir: Path
    root: Path
    port: int
    user: pwd.struct_passwd | None
    _names: Iterator[int] = field(default_factory=itertools.count)
    _watchdog: subprocess.Popen[bytes] | None = None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @classmethod
    def start(cls, bin_dir: Path | None = None) -> PostgresCluster:
        """initdb into a fresh temp dir and start the server; it answers when this returns."""
        bin_dir = bin_dir or find_bin_dir()
        user = _cluster_user()
        root = Path(tempfile.mkdtemp(prefix="graphq-pg-"))
        cluster = cls(bin_dir, root, 0, user)
        try:
            cluster.socket_dir.mkdir()
            if user is not None:
                for path in (root, cluster.socket_dir):
                    os.chown(path, user.pw_uid, user.pw_gid)
            cluster._run(
                "initdb", "-D", str(cluster.data_dir), "-U", SUPERUSER, "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            cluster._start_server()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    @classmethod
    @contextlib.contextmanager
    def started(cls, bin_dir: Path | None = None) -> Iterator[PostgresCluster]:
        cluster = cls.start(bin_dir)
        try:
            yield cluster
        finally:
            cluster.stop()

    def _start_server(self) -> None:
        """Start on a free port; another process may take the port between probe and bind."""
        options = " ".join(f"-c {key}={value}" for key, value in SERVER_SETTINGS.items())
        for _attempt in range(5):
            self.port = free_port()
            started = self._run(
                "pg_ctl", "start", "-D", str(self.data_dir), "-w",
                "-t", str(int(START_TIMEOUT_S)), "-l", str(self.root / "server.log"),
                "-o", f"-p {self.port} -k {self.socket_dir} {options}",
                check=False,
            )  # fmt: skip
            if started.returncode == 0:
                self._watch()
                return
        log = (self.root / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start:\n{started.stderr}\n{log}")

    def _watch(self) -> None:
        user = self.user
        self._watchdog = subprocess.Popen(
            ["sh", "-c", WATCHDOG, str(os.getpid()), str(self.bin_dir / "pg_ctl"),
             str(self.data_dir), str(self.root)],
            cwd=self.root,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server (no final checkpoint: nothing is kept) and remove its files."""
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "immediate", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None, template: str = "template0") -> str:
        """A new database (a copy of ``template``) and its ``postgresql+asyncpg://`` URL."""
        name = name or f"test_{os.getpid()}_{next(self._names)}"
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, url_or_name: str) -> None:
        """Drop a database, closing whatever connections are still open to it."""
        name = url_or_name.rsplit("/", 1)[-1]
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` through psql on the cluster's socket; its unaligned output."""
        done = self._run(
            "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-h", str(self.socket_dir), "-p", str(self.port), "-U", SUPERUSER,
            "-d", database, "-c", sql,
        )  # fmt: skip
        return done.stdout.strip()

    def dump(self, database: str) -> bytes:
        """Everything ``database`` holds, as pg_dump writes it (plain SQL with the rows)."""
        return self._run(
            "pg_dump", "-h", str(self.socket_dir), "-p", str(self.port), "-U", SUPERUSER, database
        ).stdout.encode()

    def _run(
        self, program: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        user = self.user
        done = subprocess.run(
            [str(self.bin_dir / program), *args],
            capture_output=True,
            text=True,
            cwd=self.root,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
            env={**os.environ, "LC_ALL": "C.UTF-8", "PGTZ": "UTC"},
            timeout=START_TIMEOUT_S * 2,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")
        return done
