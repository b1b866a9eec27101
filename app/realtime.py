"""Live pushes: the /ws endpoint and one Redis pub/sub listener per process fanning out to sockets.

Projectors PUBLISH a topic name ("leaderboard.global", "member.42") when a read model changes.
The listener marks the topic dirty; a flusher renders it at most once per PUSH_INTERVAL (leading
edge, then trailing), so a storm of likes becomes a few pushes a second that always end on the
true state. Renders are HTML fragments with hx-swap-oob, applied by htmx's ws extension.

A topic is registered by the blueprint that owns its fragment:
    shared()            -> html sent to every socket on the topic (rendered once per flush)
    personal(user_ids)  -> {user_id: html} for the logged-in viewers among them (one batch)
A prefix registered with named=True ("comments.*") has renderers that take the topic's name first:
shared(name), personal(name, user_ids) (one registration serves every project's thread).
A socket that (re)connects is sent the current state of every topic it shows at once.
Pushes are queued per socket and sent by the socket's own thread, so a render never waits for a
client and a slow client delays only itself (one too far behind is closed; its browser reconnects
and gets the current state).

Two more shapes:
    panel.<name>  a personal panel a page shows (the dashboard's progress); re-rendered for a
                  viewer whenever their own member.<id> topic changes
    kind messages a projector may publish JSON {"kind": ..., ...} on a topic; the renderer
                  registered with @hub.message(kind) turns it into HTML sent at once, uncoalesced
                  (a celebration is a moment, not a state)
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, request
from flask_login import current_user

from app.extensions import db, sock, store
from app.read import keys

log = logging.getLogger(__name__)


@dataclass
class Topic:
    name: str
    shared: Callable[..., str] | None = None
    personal: Callable[..., dict[int, str]] | None = None
    public: bool = True
    named: bool = False


# Pushes a socket may have waiting before it counts as stuck: it is closed, and the browser's
# reconnect brings it the current state of everything it shows.
OUTBOX_LIMIT = 100
# How often a socket's thread looks, with nothing to send, whether its client went away.
IDLE_CHECK_SECONDS = 5.0


@dataclass(eq=False)
class Connection:
    """One open socket. Pushes are put in its outbox, which its own thread (the one serving the
    socket) sends: rendering a push never waits for a client, and a slow or stuck client delays
    nobody else's pushes, only its own."""
    ws: object
    viewer_id: int | None
    topics: set[str]
    open: bool = True
    outbox: deque = field(default_factory=deque)
    ready: threading.Event = field(default_factory=threading.Event)

    def send(self, html: str) -> None:
        """Queue a push for this socket (never blocks)."""
        if not html or not self.open:
            return
        if len(self.outbox) >= OUTBOX_LIMIT:
            log.info("closing a socket %d pushes behind", len(self.outbox))
            self.open = False
        else:
            self.outbox.append(html)
        self.ready.set()

    def pump(self, timeout: float) -> None:
        """On the socket's own thread: wait up to `timeout` for pushes, then send what waits."""
        if not self.ready.wait(timeout):
            return
        self.ready.clear()
        while self.open and self.outbox:
            try:
                self.ws.send(self.outbox.popleft())
            except Exception:  # the client went away
                self.open = False


class Hub:
    def __init__(self) -> None:
        self.topics: dict[str, Topic] = {}
        self.message_renderers: dict[str, Callable[[dict], str]] = {}
        self.prefix_topics: dict[str, Topic] = {}
        self.connections: dict[str, set[Connection]] = defaultdict(set)
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.dirty: set[str] = set()
        self.last_flush: dict[str, float] = {}
        self.pid: int | None = None
        self.app: Flask | None = None
        self.stopping = threading.Event()
        self.pubsub = None

    # registration -------------------------------------------------------------------------
    def topic(self, name: str, *, personal: bool = False, public: bool = True, named: bool = False):
        """Decorator: register the shared (or, with personal=True, per-viewer) renderer of a topic.

        A name ending in ".*" registers every topic with that prefix ("member.*"); with named=True
        its renderers receive the full topic name first.
        """

        def register(fn):
            table = self.prefix_topics if name.endswith(".*") else self.topics
            key = name[:-2] if name.endswith(".*") else name
            entry = table.setdefault(key, Topic(key, public=public, named=named))
            if personal:
                entry.personal = fn
            else:
                entry.shared = fn
            return fn

        return register

    def message(self, kind: str):
        """Decorator: register the renderer of a kind of direct message."""

        def register(fn):
            self.message_renderers[kind] = fn
            return fn

        return register

    def lookup(self, name: str) -> Topic | None:
        if name in self.topics:
            return self.topics[name]
        prefix = name.rsplit(".", 1)[0]
        return self.prefix_topics.get(prefix)

    def init_app(self, app: Flask) -> None:
        app.extensions["realtime_hub"] = self
        sock.init_app(app)

    # process-level listener ---------------------------------------------------------------
    def ensure_started(self, app: Flask) -> None:
        """Start this process's listener and flusher once (again after a fork), for the app
        serving the sockets (one process serves one app; tests make several apps)."""
        with self.lock:
            if self.pid == os.getpid() and self.app is app:
                return
            if self.pid == os.getpid() and self.app is not None:
                self.stopping.set()  # retire the threads of the previous app
            self.stopping = threading.Event()
            self.pid, self.app = os.getpid(), app
            self.connections = defaultdict(set)
        stop = self.stopping
        threading.Thread(target=self._listen, args=(app, stop), name="push-listener", daemon=True).start()
        threading.Thread(target=self._flush_loop, args=(app, stop), name="push-flusher", daemon=True).start()

    def _listen(self, app: Flask, stop: threading.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            pubsub = None
            try:
                pubsub = self.pubsub = store(app).client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(keys.push_pattern())
                # After (re)subscribing, whatever we show may be stale: refresh everything.
                self.mark_dirty(*list(self.connections))
                backoff = 0.2
                while not stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "pmessage":
                        topic = keys.topic_of_channel(message["channel"])
                        self.deliver(app, topic, message.get("data") or "")
                        self.mark_dirty(topic)
            except Exception:
                log.info("push listener lost Redis; reconnecting in %.1fs", backoff)
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:
                        pass

    def deliver(self, app: Flask, topic: str, data: str) -> None:
        """Send a direct message (one with a "kind") to the topic's sockets at once."""
        if not data.startswith("{") or '"kind"' not in data:
            return
        try:
            message = json.loads(data)
            renderer = self.message_renderers.get(message.get("kind"))
            with self.lock:
                conns = [c for c in self.connections.get(topic, ()) if c.open]
            if renderer is None or not conns:
                return
            with app.test_request_context("/"):
                html = renderer(message)
            for conn in conns:
                conn.send(html)
        except Exception:
            log.exception("could not deliver a %s message", topic)

    def mark_dirty(self, *topics: str) -> None:
        """Mark topics some socket here shows as changed; wake the flusher only for news (a busy
        projection publishes hundreds of topics a second, most of them shown nowhere or dirty
        already, and each needless wake-up is a thread switch the pushes wait behind)."""
        with self.wake:
            fresh = {t for t in topics if t not in self.dirty and self.connections.get(t)}
            if fresh:
                self.dirty |= fresh
                self.wake.notify()

    def _flush_loop(self, app: Flask, stop: threading.Event) -> None:
        interval = app.config["PUSH_INTERVAL"]
        while not stop.is_set():
            with self.wake:
                now = time.monotonic()
                due = [t for t in self.dirty if now - self.last_flush.get(t, 0.0) >= interval]
                if not due:
                    waits = [self.last_flush.get(t, 0.0) + interval - now for t in self.dirty]
                    self.wake.wait(timeout=min(waits) if waits else 1.0)
                    continue
                for t in due:
                    self.dirty.discard(t)
                    self.last_flush[t] = now
            for t in due:
                try:
                    self.flush(app, t)
                except Exception:
                    log.exception("could not render push for %s", t)

    # rendering ----------------------------------------------------------------------------
    def render(self, app: Flask, name: str, viewer_ids: list[int]) -> tuple[str, dict[int, str]]:
        topic = self.lookup(name)
        if topic is None:
            return "", {}
        with app.test_request_context("/"):
            args = (name,) if topic.named else ()
            try:
                shared = topic.shared(*args) if topic.shared else ""
                personal = topic.personal(*args, viewer_ids) if topic.personal and viewer_ids else {}
            finally:
                db.session.remove()
        return shared, personal

    def flush(self, app: Flask, name: str) -> None:
        with self.lock:
            conns = [c for c in self.connections.get(name, ()) if c.open]
        if not conns:
            return
        viewers = sorted({c.viewer_id for c in conns if c.viewer_id})
        shared, personal = self.render(app, name, viewers)
        panels: dict[str, dict[int, str]] = {}
        if name.startswith("member."):
            # The member's own panels (e.g. the dashboard) change with them.
            for panel in sorted({t for c in conns for t in c.topics if t.startswith("panel.")}):
                panels[panel] = self.render(app, panel, viewers)[1]
        for conn in conns:
            extra = "".join(panels[t].get(conn.viewer_id, "") for t in sorted(conn.topics) if t in panels)
            conn.send(shared + personal.get(conn.viewer_id, "") + extra)

    # sockets ------------------------------------------------------------------------------
    def allowed_topics(self, requested: list[str], viewer_id: int | None) -> set[str]:
        topics = {t for t in requested if (tp := self.lookup(t)) is not None and tp.public}
        if viewer_id:
            topics.add(f"member.{viewer_id}")
        return {t for t in topics if self.lookup(t) is not None}

    def add(self, conn: Connection) -> None:
        with self.lock:
            for t in conn.topics:
                self.connections[t].add(conn)

    def remove(self, conn: Connection) -> None:
        conn.open = False
        conn.ready.set()
        with self.lock:
            for t in conn.topics:
                self.connections[t].discard(conn)
                if not self.connections[t]:
                    del self.connections[t]

    def send_current(self, app: Flask, conn: Connection) -> None:
        viewers = [conn.viewer_id] if conn.viewer_id else []
        parts = []
        for name in sorted(conn.topics):
            shared, personal = self.render(app, name, viewers)
            parts.append(shared + personal.get(conn.viewer_id, ""))
        conn.send("".join(parts))

    def shutdown(self) -> None:
        """Close every socket (so gunicorn need not wait out its graceful timeout)."""
        self.stopping.set()
        if self.pubsub is not None:
            try:
                self.pubsub.close()
            except Exception:
                pass
        with self.lock:
            conns = {c for group in self.connections.values() for c in group}
        for conn in conns:
            conn.open = False
            conn.ready.set()  # its thread stops waiting for pushes
            try:
                conn.ws.close()
            except Exception:
                pass


hub = Hub()


@sock.route("/ws")
def ws_endpoint(ws):
    """Subscribe this socket to the topics its page shows (?topics=a,b) and the viewer's own."""
    app = current_app._get_current_object()
    hub.ensure_started(app)
    viewer_id = current_user.id if current_user.is_authenticated else None
    requested = [t for t in request.args.get("topics", "").split(",") if t][:20]
    conn = Connection(ws, viewer_id, hub.allowed_topics(requested, viewer_id))
    db.session.remove()  # don't hold a database connection for the socket's lifetime
    hub.add(conn)
    try:
        hub.send_current(app, conn)
        while conn.open and ws.connected:
            conn.pump(IDLE_CHECK_SECONDS)
            while ws.receive(timeout=0) is not None:  # the page sends nothing; drop whatever comes
                pass
    except Exception:  # the socket closed
        pass
    finally:
        hub.remove(conn)
