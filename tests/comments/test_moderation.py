"""The moderation pipeline: posting is fast and pending; a worker approves clean text and queues
flagged text; moderators decide; mentions notify once, only after approval."""
import threading

import pytest

from sqlalchemy import select

from app.extensions import db
from app.models import Event, User
from app.moderation import Screening
from commands.base import CommandRejected
from commands.comments import edit_comment, moderate_comment
from commands.notifications import block_member
from tests.comments.helpers import (
    INSULT, PROFANE, cases, comment, decide, flagged_comment, notifications, publish, status_of,
)
from tests.conftest import drain, make_member
from workers.jobs import apply_policies, relay


def police_everything_again(app) -> None:
    """What a relay (or a crashed worker's retry) might do: police every event a second time."""
    with app.app_context():
        ids = list(db.session.scalars(select(Event.id).order_by(Event.id)))
    with app.app_context():
        apply_policies(ids)
    drain(app)


def test_a_clean_comment_is_approved_by_the_worker_and_notifies_once(app):
    author, bob, carol = make_member(app, "author"), make_member(app, "bob"), make_member(app, "carol")
    project = publish(app, author)
    comment_id = comment(app, bob, project, "Great work @carol, and @nobody_here too")
    assert status_of(app, comment_id) == "pending"  # nothing checked in the request itself
    assert notifications(app, carol, "mention") == []
    drain(app)
    assert status_of(app, comment_id) == "approved"
    assert cases(app) == []
    assert len(notifications(app, carol, "mention")) == 1
    [on_project] = notifications(app, author, "project_comment")
    assert on_project.actor_ids == [bob] and on_project.link.endswith(f"#comment-{comment_id}")
    police_everything_again(app)
    assert len(notifications(app, carol, "mention")) == 1
    assert len(notifications(app, author, "project_comment")) == 1


def test_an_insult_waits_for_a_moderator_and_notifies_only_once_approved(app):
    author, bob, carol = make_member(app, "author"), make_member(app, "bob"), make_member(app, "carol")
    mod = make_member(app, "mod", role="moderator")
    project = publish(app, author)
    comment_id = comment(app, bob, project, f"@carol {INSULT}")
    drain(app)
    assert status_of(app, comment_id) == "flagged"
    [case] = cases(app)
    assert case.status == "open" and case.subject_id == comment_id and case.text == f"@carol {INSULT}"
    assert case.scores["ai"]["harassment"] >= 0.5 and "AI: insults a person (harassment)" in case.reasons
    assert notifications(app, carol, "mention") == [] and notifications(app, author, "project_comment") == []

    decide(app, case.id, "approve", mod, note="Heated, but fair criticism")
    drain(app)
    assert status_of(app, comment_id) == "approved"
    [decided] = cases(app)
    assert (decided.status, decided.decided_by, decided.note, decided.via) == (
        "approved", mod, "Heated, but fair criticism", "web")
    assert len(notifications(app, carol, "mention")) == 1
    police_everything_again(app)
    assert len(notifications(app, carol, "mention")) == 1
    assert len(notifications(app, author, "project_comment")) == 1


def test_profanity_is_flagged_by_the_profanity_filter(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    comment_id = comment(app, bob, publish(app, author), PROFANE)
    drain(app)
    assert status_of(app, comment_id) == "flagged"
    [case] = cases(app)
    assert case.scores["profanity"]["profanity"] >= 0.8
    assert any(r.startswith("profanity filter:") for r in case.reasons)


def test_spam_and_threats_are_flagged_by_the_ai(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    project = publish(app, author)
    spam = comment(app, bob, project, "Click here for free money: https://a.example https://b.example")
    threat = comment(app, bob, project, "Post that again and I will find you.")
    drain(app)
    assert status_of(app, spam) == status_of(app, threat) == "flagged"
    reasons = {c.subject_id: " ".join(c.reasons) for c in cases(app)}
    assert "looks like spam" in reasons[spam] and "reads as a threat" in reasons[threat]


def test_a_rejected_comment_never_becomes_visible_nor_notifies(app):
    carol = make_member(app, "carol")
    author, bob, mod, project, comment_id = flagged_comment(app, f"@carol {INSULT}")
    [case] = cases(app)
    decide(app, case.id, "reject", mod, note="Personal attack")
    drain(app)
    assert status_of(app, comment_id) == "rejected"
    assert notifications(app, carol, "mention") == [] and notifications(app, author, "project_comment") == []
    with pytest.raises(CommandRejected, match=r"already closed \(rejected\)") as refused:
        decide(app, case.id, "approve", mod)
    assert refused.value.status == 409 and status_of(app, comment_id) == "rejected"


def test_members_cannot_decide_and_moderators_cannot_decide_their_own(app):
    author, bob, mod, project, _ = flagged_comment(app)
    comment(app, mod, project, INSULT)
    drain(app)
    bobs, mods = cases(app)
    for actor, case in ((bob, bobs), (mod, mods)):
        with pytest.raises(CommandRejected) as refused:
            decide(app, case.id, "approve", actor)
        assert refused.value.status == 403
    assert [c.status for c in cases(app)] == ["open", "open"]


def test_two_workers_checking_the_same_comment_open_one_case(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    comment_id = comment(app, bob, publish(app, author), INSULT)
    verdict = Screening({"ai": {"harassment": 0.9}}, ["AI: insults a person"])
    results, barrier = [], threading.Barrier(4)

    def check():
        with app.app_context():
            barrier.wait()
            results.append(moderate_comment(comment_id, 1, verdict))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [None, None, None, "flagged"]
    assert len(cases(app)) == 1
    drain(app)  # and the worker's own check afterwards changes nothing
    assert len(cases(app)) == 1 and status_of(app, comment_id) == "flagged"


def test_a_comment_posted_while_workers_were_down_is_moderated_after_the_relay(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    project = publish(app, author)
    drain(app)  # nothing queued any more: a later job would project whatever is unprojected
    app.config["EVENTS_ENQUEUE"] = False  # the queue is unreachable: events stay in the outbox
    try:
        clean, rude = comment(app, bob, project), comment(app, bob, project, INSULT)
    finally:
        app.config["EVENTS_ENQUEUE"] = True
    drain(app)
    assert status_of(app, clean) == status_of(app, rude) == "pending"
    with app.app_context():
        relay(grace_seconds=0)  # hands them on (or, if Redis lost its read models, rebuild replays them)
    drain(app)
    assert (status_of(app, clean), status_of(app, rude)) == ("approved", "flagged")
    assert len(notifications(app, author, "project_comment")) == 1


def test_an_edit_is_checked_again_and_notifies_only_newly_mentioned_members(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    carol, dave = make_member(app, "carol"), make_member(app, "dave")
    comment_id = comment(app, bob, publish(app, author), "Thanks @carol")
    drain(app)
    with app.app_context():
        edit_comment(db.session.get(User, bob), {"comment_id": comment_id, "body": f"Thanks @carol and @dave. {INSULT}"})
    assert status_of(app, comment_id) == "pending"
    drain(app)
    assert status_of(app, comment_id) == "flagged"
    assert notifications(app, dave, "mention") == []
    with app.app_context():  # the author fixes it before a moderator looks: the case is superseded
        edit_comment(db.session.get(User, bob), {"comment_id": comment_id, "body": "Thanks @carol and @dave!"})
    drain(app)
    assert status_of(app, comment_id) == "approved"
    assert [c.status for c in cases(app)] == ["superseded"]
    assert len(notifications(app, carol, "mention")) == 1 and len(notifications(app, dave, "mention")) == 1
    assert len(notifications(app, author, "project_comment")) == 1  # the author heard of it once


def test_no_mention_from_a_blocked_member_nor_to_yourself(app):
    author, bob, carol = make_member(app, "author"), make_member(app, "bob"), make_member(app, "carol")
    with app.app_context():
        block_member(db.session.get(User, carol), {"user_id": bob})
    comment(app, bob, publish(app, author), "@carol @bob look")
    drain(app)
    assert notifications(app, carol, "mention") == [] and notifications(app, bob, "mention") == []


def test_mentions_of_members_who_cannot_see_a_private_project_are_not_sent(app):
    author, carol = make_member(app, "author"), make_member(app, "carol")
    project = publish(app, author, visibility="private")
    comment(app, author, project, "Note to self, and @carol")
    drain(app)
    assert notifications(app, carol, "mention") == []


def test_when_the_ai_provider_fails_a_person_decides(app):
    author, bob = make_member(app, "author"), make_member(app, "bob")
    app.config["AI_PROVIDER"] = "unconfigured"  # provider() refuses: as an outage or a spending cap would
    try:
        comment_id = comment(app, bob, publish(app, author))
        drain(app)
    finally:
        app.config["AI_PROVIDER"] = "local"
    assert status_of(app, comment_id) == "flagged"
    assert cases(app)[0].reasons == ["AI moderation unavailable (RuntimeError)"]
