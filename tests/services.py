"""Start real PostgreSQL and Redis servers for the tests, on free ports in a temporary directory."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if not path:
        raise RuntimeError(f"{name} not found: run the README's test command, which installs PostgreSQL")
    return path


class Postgres:
    """A throw-away PostgreSQL cluster. As root it runs as the `postgres` system user."""

    def __init__(self, root: Path) -> None:
        self.root = root / "pg"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> "Postgres":
        self.root.mkdir(parents=True)
        self.data, self.sockets = self.root / "data", self.root / "sock"
        self.sockets.mkdir()
        if self.as_root:
            pg = pwd.getpwnam("postgres")
            os.chmod(self.root.parent, 0o755)
            for path in (self.root, self.sockets):
                os.chown(path, pg.pw_uid, pg.pw_gid)
        self._run(_pg_bin("initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.root / "log"),
                  "-o", options, "start")
        return self

    def url(self, database: str = "postgres", unix: bool = False) -> str:
        """TCP on 127.0.0.1, or (unix=True) the server's Unix socket, as a same-host deployment would."""
        if unix:
            return f"postgresql+psycopg://postgres@/{database}?host={self.sockets}&port={self.port}"
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres", unix: bool = False) -> str:
        """The same, as a libpq connection string for psycopg itself."""
        host = self.sockets if unix else "127.0.0.1"
        return f"host={host} port={self.port} user=postgres dbname={database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except Exception:
            pass


class RedisServer:
    """A real redis-server with no persistence; stop() and start() keep the same port."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.dir = root / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def unix_url(self) -> str:
        """The same server over its Unix socket."""
        return f"unix://{self.dir / 'redis.sock'}?db=0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server not found: run the README's test command, which installs it")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.dir),
             "--unixsocket", str(self.dir / "redis.sock"), "--unixsocketperm", "700"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


def temp_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="allthrive-test-"))
