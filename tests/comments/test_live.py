"""Live comment pushes over the WebSocket: approved comments reach every open page of the project;
a flagged one reaches only its author (as "pending review"); a private project's thread, nobody else."""
import time

from websockets.sync.client import connect

from tests.browser.conftest import settle
from tests.comments.helpers import CLEAN, INSULT, comment, publish
from tests.conftest import make_member
from tests.web.test_realtime import wait_for, ws_url


def drain_socket(ws, seconds=0.5) -> list[str]:
    """Whatever else the socket is sent in the next moment."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            seen.append(ws.recv(timeout=max(0.05, deadline - time.monotonic())))
        except TimeoutError:
            break
    return seen


def test_approved_comments_are_pushed_to_all_and_flagged_ones_to_their_author_only(live):
    app = live.app
    author, bob = make_member(app, "author"), make_member(app, "bob")
    make_member(app, "carol")
    project = publish(app, author)
    settle(live)
    topic = f"comments.{project}"
    with connect(ws_url(live, topic), additional_headers={"Cookie": live.login_cookie("carol")}) as carol, \
            connect(ws_url(live, topic), additional_headers={"Cookie": live.login_cookie("bob")}) as bobs, \
            connect(ws_url(live, topic)) as anonymous:
        for ws in (carol, bobs, anonymous):
            wait_for(ws, lambda m: f'id="comment-thread-{project}"' in m and 'hx-swap-oob="true"' in m)
        comment(app, bob, project, INSULT)
        wait_for(bobs, lambda m: INSULT in m and "pending review" in m)
        comment(app, bob, project, CLEAN)
        for ws in (carol, anonymous):
            # The worker's first check loads the profanity model: slow on a busy machine.
            pushed = wait_for(ws, lambda m: CLEAN in m and 'data-count="1"' in m, timeout=30)
            assert INSULT not in pushed
        settle(live)
        assert not any(INSULT in m for m in drain_socket(carol) + drain_socket(anonymous))


def test_a_private_projects_thread_is_pushed_to_its_author_only(live):
    app = live.app
    author = make_member(app, "author")
    make_member(app, "carol")
    project = publish(app, author, visibility="private")
    settle(live)
    topic = f"comments.{project}"
    with connect(ws_url(live, topic), additional_headers={"Cookie": live.login_cookie("carol")}) as carol, \
            connect(ws_url(live, topic), additional_headers={"Cookie": live.login_cookie("author")}) as own:
        wait_for(own, lambda m: f'id="comment-thread-{project}"' in m)
        comment(app, author, project, "Secret roadmap notes")
        wait_for(own, lambda m: "Secret roadmap notes" in m and 'data-count="1"' in m)
        settle(live)
        assert not any(f"comment-thread-{project}" in m for m in drain_socket(carol))
