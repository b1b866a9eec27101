"""Live pushes over the WebSocket: fragments with hx-swap-oob, current state on (re)connect."""
import re
import threading
import time

import pytest
from sqlalchemy import select
from websockets.sync.client import connect

from app.extensions import db
from app.models import User
from commands.projects import publish_project
from commands.social import like_project
from tests.conftest import make_member


def ws_url(live, topics):
    return live.url.replace("http://", "ws://") + f"/ws?topics={topics}"


def wait_for(ws, predicate, timeout=5.0):
    """Read messages until one satisfies predicate; return it (fail after timeout)."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            message = ws.recv(timeout=max(0.05, deadline - time.monotonic()))
        except TimeoutError:
            break
        seen.append(message)
        if predicate(message):
            return message
    pytest.fail(f"no matching push within {timeout}s; got {len(seen)} message(s): {[m[:200] for m in seen]}")


def current_points(app, user_id):
    with app.app_context():
        return db.session.execute(select(User.points).where(User.id == user_id)).scalar_one()


def points_of(html, user_id):
    row = re.search(rf'data-user-id="{user_id}" data-rank="(\d+)">.*?data-points="(\d+)"', html, re.S)
    return (int(row.group(1)), int(row.group(2))) if row else None


def test_a_like_is_pushed_to_every_open_socket(live):
    app = live.app
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    with app.app_context():
        project_id = publish_project(db.session.get(User, alice), {"title": "Speech to checklist"}).id
    sockets = [connect(ws_url(live, "leaderboard.global")) for _ in range(3)]
    try:
        for ws in sockets:  # current state on connect
            first = wait_for(ws, lambda m: 'id="leaderboard-global"' in m)
            assert 'hx-swap-oob="true"' in first
        started = time.monotonic()
        with app.app_context():
            like_project(db.session.get(User, bob), {"project_id": project_id})
        for ws in sockets:  # alice jumps ahead of bob, showing her true total
            pushed = wait_for(ws, lambda m: points_of(m, alice) == (1, current_points(app, alice)))
            assert 'id="leaderboard-global"' in pushed
        assert time.monotonic() - started < 1.5  # "within a blink" with margin for CI
    finally:
        for ws in sockets:
            ws.close()


def test_a_member_socket_gets_personal_pushes_and_current_state(live):
    app = live.app
    alice, bob = make_member(app, "alice"), make_member(app, "bob")
    with app.app_context():
        project_id = publish_project(db.session.get(User, alice), {"title": "Grant writing copilot"}).id
    cookie = live.login_cookie("alice")
    with connect(ws_url(live, "leaderboard.global"), additional_headers={"Cookie": cookie}) as ws:
        # The state on connect carries the board, my rank and my points chip (a board push for the
        # project just published may arrive before it: it carries no chip).
        wait_for(ws, lambda m: 'id="leaderboard-me"' in m and 'id="points-chip"' in m)
        before = current_points(app, alice)
        with app.app_context():
            like_project(db.session.get(User, bob), {"project_id": project_id})
        wait_for(ws, lambda m: 'id="points-chip"' in m and before < current_points(app, alice)
                 and f'data-points="{current_points(app, alice)}"' in m)
    time.sleep(1)  # let the policies settle, then reconnect
    # Reconnecting is sent the current state at once, not only what changes next.
    with connect(ws_url(live, "leaderboard.global"), additional_headers={"Cookie": cookie}) as ws:
        message = wait_for(ws, lambda m: 'id="leaderboard-me"' in m, timeout=3)  # the state on connect
        assert f'data-points="{current_points(app, alice)}"' in message and 'data-my-rank="1"' in message


def test_private_topics_are_refused(live):
    app = live.app
    alice = make_member(app, "alice")
    # An anonymous socket asking for someone's member topic gets nothing about them.
    with connect(ws_url(live, f"member.{alice},leaderboard.global")) as ws:
        first = ws.recv(timeout=3)
        assert 'id="points-chip"' not in first and 'id="leaderboard-global"' in first


class StuckPeer:
    """A client that stopped reading: its socket's sends block (until released)."""

    connected = True

    def __init__(self):
        self.release = threading.Event()

    def send(self, html):
        self.release.wait()


class Peer:
    connected = True

    def __init__(self):
        self.received = []

    def send(self, html):
        self.received.append((time.monotonic(), html))


def test_a_stuck_client_delays_nobody_else(app):
    """A push is queued per socket and sent by the socket's own thread: a client that stopped
    reading holds up none of the others, and once too far behind it is closed (its browser
    reconnects and is sent the current state)."""
    from app import realtime

    hub = realtime.Hub()
    states = iter(range(1_000_000))
    hub.topic("test.board")(lambda: f"<div id='board'>state {next(states)}</div>")
    stuck = realtime.Connection(StuckPeer(), None, {"test.board"})
    others = [realtime.Connection(Peer(), None, {"test.board"}) for _ in range(3)]
    threads = []
    for conn in [stuck, *others]:
        hub.add(conn)

        def serve(conn=conn):
            while conn.open:
                conn.pump(0.05)

        threads.append(threading.Thread(target=serve, daemon=True))
        threads[-1].start()
    def flush():  # a flush that waited for the stuck client would never return
        flusher = threading.Thread(target=hub.flush, args=(app, "test.board"), daemon=True)
        flusher.start()
        flusher.join(2)
        assert not flusher.is_alive(), "the flush waited for a client"

    try:
        for n in range(3):
            started = time.monotonic()
            flush()
            for conn in others:
                deadline = time.monotonic() + 2
                while len(conn.ws.received) <= n and time.monotonic() < deadline:
                    time.sleep(0.005)
                arrived, html = conn.ws.received[n]
                assert html == f"<div id='board'>state {n}</div>"
                assert arrived - started < 1.0
        assert stuck.open  # behind, but not yet too far
        for _ in range(realtime.OUTBOX_LIMIT + 1):
            flush()
        assert not stuck.open and all(conn.open for conn in others)
    finally:
        stuck.ws.release.set()
        for conn in [stuck, *others]:
            hub.remove(conn)
        for t in threads:
            t.join(2)
