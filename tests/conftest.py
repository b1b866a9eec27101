"""Fixtures: real PostgreSQL and Redis per test process, a migrated database, clean state per test."""
from __future__ import annotations

import re
import shutil
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from tests.services import Postgres, RedisServer, temp_root

# Stand-ins for the vendors (OpenAI, Anthropic, GitHub) and the fixtures that point the app at them.
pytest_plugins = ("tests.standins.fixtures",)

STRONG_PASSWORD = "orbit-lantern-quarry-77"
# Loaded once per session from app/data (like `flask gamification load` and `flask tools load`);
# kept across tests.
DEFINITION_TABLES = {"achievements", "quests", "tools"}


@pytest.fixture(scope="session")
def services():
    root = temp_root()
    pg = Postgres(root).start()
    redis_server = RedisServer(root).start()
    yield {"postgres": pg, "redis": redis_server, "root": root}
    redis_server.stop()
    pg.stop()
    shutil.rmtree(root, ignore_errors=True)


class Mailbox:
    """What the local SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def clear(self):
        self.messages.clear()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1: the e-mail provider's stand-in."""
    from aiosmtpd.controller import Controller

    from tests.services import free_port

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.clear()
    return smtp_server


@pytest.fixture(scope="session")
def app(services, smtp_server):
    from flask_migrate import upgrade

    from app import create_app

    url = services["postgres"].create_database("allthrive_test")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 40, "pool_use_lifo": True},
        "REDIS_URL": services["redis"].url,
        "INPROCESS_WORKER": False,
        "RATELIMIT_AUTH": "1000 per minute",
        "PUSH_INTERVAL": 0.05,
        "RELAY_GRACE_SECONDS": 0,
        "SCHEDULER_INTERVAL": 0,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "BASE_URL": "http://allthrive.test",
    })
    with app.app_context():
        upgrade()  # the real migrations, on PostgreSQL
        from commands.gamification import load_definitions
        from commands.tools import load_tools

        load_definitions()
        load_tools()
    return app


@pytest.fixture(autouse=True)
def clean(request, app):
    """Every test starts with empty tables and an empty Redis."""
    if "no_clean" in request.keywords:
        yield
        return
    truncate_all(app)
    yield


@pytest.fixture
def ctx(app):
    with app.app_context() as context:
        yield context
        from app.extensions import db

        db.session.remove()


def drain(app) -> int:
    """Run queued projection jobs to completion with a real RQ worker (burst mode)."""
    from rq import SimpleWorker

    from app.extensions import store

    with app.app_context():
        queues = [store(app).queue, store(app).policy_queue]
        worker = SimpleWorker(queues, connection=store(app).raw)
        worker.work(burst=True, logging_level="WARNING")
        for queue in queues:
            failed = queue.failed_job_registry
            assert failed.count == 0, f"{queue.name} jobs failed: {failed.get_job_ids()}"
    return 0


def make_member(app, username: str, **extra):
    from commands.accounts import sign_up_member

    with app.app_context():
        user = sign_up_member({"username": username, "email": f"{username}@example.com",
                               "password": STRONG_PASSWORD, "time_zone": extra.get("time_zone", "UTC")},
                              role=extra.get("role", "member"))
        return user.id


def redis_snapshot(app) -> dict:
    """Every read-model key with its full contents (for byte-for-byte comparisons)."""
    from app.extensions import store
    from app.read import keys

    r = store(app).client
    snapshot = {}
    for key in sorted(r.scan_iter(match=f"{keys.PREFIX}*")):
        if key == keys.read_models_built():
            continue
        kind = r.type(key)
        if kind == "zset":
            snapshot[key] = ("zset", r.zrange(key, 0, -1, withscores=True))
        elif kind == "hash":
            snapshot[key] = ("hash", sorted(r.hgetall(key).items()))
        elif kind == "set":
            snapshot[key] = ("set", sorted(r.smembers(key)))
        elif kind == "list":
            snapshot[key] = ("list", r.lrange(key, 0, -1))
        else:
            snapshot[key] = (kind, r.get(key))
    return snapshot


@contextmanager
def statements(app):
    """Collect the first word of every SQL statement the app runs inside the block."""
    from sqlalchemy import event

    from app.extensions import db

    seen: list[str] = []
    with app.app_context():
        engines = list(db.engines.values())  # the default and the read bind (GET and HEAD)

    def capture(conn, cursor, statement, *args):
        seen.append(statement.split()[0].upper())

    for engine in engines:
        event.listen(engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", capture)


WRITES = ("INSERT", "UPDATE", "DELETE")


class WebClient:
    """A Flask test client that behaves like our pages: CSRF token and htmx headers included."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self._token = None

    def token(self) -> str:
        if self._token is None:
            html = self.client.get("/").get_data(as_text=True)
            self._token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
        return self._token

    def get(self, url, htmx=False, **kw):
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.get(url, headers=headers, **kw)

    def post(self, url, data=None, htmx=True, method="POST", **kw):
        headers = {"X-CSRFToken": self.token()}
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.open(url, method=method, data=data or {}, headers=headers, **kw)

    def login(self, username, password=STRONG_PASSWORD):
        response = self.post("/login", {"username": username, "password": password})
        assert response.status_code == 204, response.get_data(as_text=True)
        self._token = None
        return self


@pytest.fixture
def web(app):
    return WebClient(app)


class LiveServer:
    def __init__(self, app, url):
        self.app, self.url = app, url

    def login_cookie(self, username: str) -> str:
        """A session cookie for `username`, obtained by logging in over HTTP."""
        client = WebClient(self.app)
        client.login(username)
        cookie = client.client.get_cookie("session")
        return f"session={cookie.value}"


def truncate_all(app) -> None:
    """Empty every table but the definitions, and the app's Redis database."""
    from sqlalchemy.exc import OperationalError

    from app.extensions import db, store

    with app.app_context():
        tables = ", ".join(t.name for t in db.metadata.sorted_tables if t.name not in DEFINITION_TABLES)
        for attempt in range(10):  # a live server's worker may still hold a lock briefly
            try:
                db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
                db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                db.session.commit()
                break
            except OperationalError:
                db.session.rollback()
                if attempt == 9:
                    raise
        store(app).client.flushdb()


@pytest.fixture
def live(live_server):
    """A live server with an empty database and Redis, for one test."""
    _wait_until_idle(live_server.app)
    truncate_all(live_server.app)
    return live_server


def _wait_until_idle(app, timeout: float = 30.0) -> None:
    """Let the live worker finish the previous test's jobs first: emptying Redis under a running
    job hides it from `settle`, and the next test's pushes would queue behind it."""
    from app.extensions import store

    queues = (store(app).queue, store(app).policy_queue)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(q.count or q.started_job_registry.count for q in queues):
        time.sleep(0.05)


@pytest.fixture(scope="session")
def live_server(app, services):
    """The app served by a real threaded HTTP server, with its in-process worker and relay.

    It has its own database and Redis database 1, so its worker and relay never touch the
    state of tests that drain the queues by hand.
    """
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from app import create_app
    from commands.gamification import load_definitions
    from commands.tools import load_tools
    from tests.services import free_port
    from workers.runner import start_inprocess_worker

    config = {k: app.config[k] for k in ("SQLALCHEMY_ENGINE_OPTIONS", "RATELIMIT_AUTH", "PUSH_INTERVAL",
                                         "SECRET_KEY", "TESTING", "SCHEDULER_INTERVAL", "MAIL_SERVER",
                                         "MAIL_PORT", "BASE_URL")}
    live_app = create_app({**config, "SQLALCHEMY_DATABASE_URI": services["postgres"].create_database("allthrive_live"),
                           "REDIS_URL": services["redis"].url.rsplit("/", 1)[0] + "/1",
                           "INPROCESS_WORKER": False, "RELAY_GRACE_SECONDS": 2})
    with live_app.app_context():
        upgrade()
        load_definitions()
        load_tools()
    port = free_port()
    server = make_server("127.0.0.1", port, live_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start_inprocess_worker(live_app, relay_interval=1.0)
    yield LiveServer(live_app, f"http://127.0.0.1:{port}")
    server.shutdown()
