"""Signing up and logging in: clear refusals for every bad input."""
import pytest

from app.extensions import db
from app.models import User
from commands.accounts import authenticate_member, sign_up_member, update_profile
from commands.base import CommandRejected
from tests.conftest import STRONG_PASSWORD, make_member

GOOD = {"username": "grace_h", "email": "grace@example.com", "password": STRONG_PASSWORD,
        "time_zone": "Pacific/Kiritimati"}


def rejected(data, field):
    with pytest.raises(CommandRejected) as exc:
        sign_up_member(data)
    assert field in exc.value.errors, exc.value.errors
    return " ".join(exc.value.errors[field])


def test_sign_up_starts_with_welcome_points(ctx):
    user = sign_up_member(dict(GOOD, username="Grace_H", email=" Grace@Example.com "))
    assert (user.username, user.email, user.points, user.time_zone) == (
        "grace_h", "grace@example.com", 100, "Pacific/Kiritimati")
    assert user.password_hash != STRONG_PASSWORD


@pytest.mark.parametrize("field,value,message", [
    ("username", "", "characters"),
    ("username", "ab", "characters"),
    ("username", "x" * 31, "characters"),
    ("username", "bad name!", "letters, digits"),
    ("username", "admin", "reserved"),
    ("email", "not-an-email", "e-mail"),
    ("password", "short", "characters"),
    ("password", "password1234", "easy to guess"),
    ("password", "grace_h12345", "easy to guess"),
    ("time_zone", "Mars/Olympus", "time zone"),
])
def test_sign_up_rejects_bad_input(ctx, field, value, message):
    assert message in rejected(dict(GOOD, **{field: value}), field)


def test_sign_up_rejects_missing_fields(ctx):
    with pytest.raises(CommandRejected) as exc:
        sign_up_member({})
    assert {"username", "email", "password"} <= set(exc.value.errors)


def test_duplicates_are_refused(app, ctx):
    make_member(app, "grace_h")
    assert "taken" in rejected(dict(GOOD, email="other@example.com"), "username")
    assert "already exists" in rejected(dict(GOOD, username="someone_else", email="grace_h@example.com"), "email")


def test_log_in_by_username_or_email(app, ctx):
    make_member(app, "grace_h")
    assert authenticate_member({"username": "Grace_H", "password": STRONG_PASSWORD}).username == "grace_h"
    assert authenticate_member({"username": "grace_h@example.com", "password": STRONG_PASSWORD})
    with pytest.raises(CommandRejected) as exc:
        authenticate_member({"username": "grace_h", "password": "wrong-password-123"})
    assert exc.value.status == 401 and "Wrong username or password" in exc.value.message


def test_profile_update_validates(app, ctx):
    uid = make_member(app, "grace_h")
    user = db.session.get(User, uid)
    update_profile(user, {"display_name": "Grace H.", "bio": "Nurse learning RAG.", "time_zone": "Asia/Kathmandu"})
    assert db.session.get(User, uid).time_zone == "Asia/Kathmandu"
    with pytest.raises(CommandRejected) as exc:
        update_profile(user, {"display_name": "x" * 61, "bio": "y" * 601, "time_zone": "Nowhere/Else"})
    assert set(exc.value.errors) == {"display_name", "bio", "time_zone"}
    db.session.expire_all()
    assert db.session.get(User, uid).display_name == "Grace H."  # nothing half-written
