"""Members: sign up, log in, edit a profile."""
from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, pre_load, validate, validates
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app import events
from app.extensions import db
from app.models import MemberTopic, User
from app.models.accounts import ROLES
from app.rules import LIMITS, TOPICS
from commands.base import CommandRejected, CommandSchema, handler, parse
from commands.gamification import award_points

USERNAME_RE = re.compile(r"^[a-z0-9_]+$")
RESERVED = {"admin", "administrator", "allthrive", "moderator", "support", "staff", "root", "system"}


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _validate_time_zone(value: str) -> None:
    if value not in time_zones():
        raise ValidationError("Choose a time zone from the list (for example Europe/Berlin).")


class SignUpSchema(CommandSchema):
    username = fields.String(
        required=True,
        validate=[
            validate.Length(LIMITS["username_min"], LIMITS["username_max"],
                            error="Usernames are {min} to {max} characters."),
            validate.Regexp(USERNAME_RE, error="Use only letters, digits and underscores."),
        ],
    )
    email = fields.Email(required=True, validate=validate.Length(max=254),
                         error_messages={"invalid": "That does not look like an e-mail address."})
    password = fields.String(required=True, validate=validate.Length(
        LIMITS["password_min"], LIMITS["password_max"],
        error="Passwords are {min} to {max} characters."))
    time_zone = fields.String(load_default="UTC", validate=_validate_time_zone)

    @pre_load
    def normalise(self, data, **kwargs):
        data = dict(data)
        for key in ("username", "email"):
            if isinstance(data.get(key), str):
                data[key] = data[key].strip().lower()
        if isinstance(data.get("time_zone"), str):
            data["time_zone"] = data["time_zone"].strip() or "UTC"
        return data

    @validates("username")
    def not_reserved(self, value, **kwargs):
        if value in RESERVED:
            raise ValidationError("That username is reserved.")


class LogInSchema(CommandSchema):
    username = fields.String(required=True, validate=validate.Length(1, 254))
    password = fields.String(required=True, validate=validate.Length(1, LIMITS["password_max"]))


class ProfileSchema(CommandSchema):
    display_name = fields.String(load_default="", validate=validate.Length(
        max=LIMITS["display_name_max"], error="Display names are at most {max} characters."))
    bio = fields.String(load_default="", validate=validate.Length(
        max=LIMITS["bio_max"], error="Bios are at most {max} characters."))
    time_zone = fields.String(required=True, validate=_validate_time_zone)

    @pre_load
    def strip(self, data, **kwargs):
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(data).items()}


def _password_weakness(password: str, inputs: list[str]) -> str | None:
    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] >= 3:
        return None
    feedback = result.get("feedback") or {}
    hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or [])
    return "This password is too easy to guess." + (f" {hint}" if hint else "")


@handler
def sign_up_member(data: dict, role: str = "member", password_hash: str | None = None) -> User:
    """Create a member; they start with the welcome points (the endowed head start).

    `password_hash` lets the demo seed reuse one hash of the (checked) password for speed.
    """
    values = parse(SignUpSchema, data)
    if role not in ROLES:
        raise CommandRejected("role", f"Role must be one of {', '.join(ROLES)}.")
    # Report every problem at once, not one per attempt.
    errors: dict[str, str] = {}
    weakness = _password_weakness(values["password"], [values["username"], values["email"]])
    if weakness:
        errors["password"] = weakness
    if db.session.scalar(select(User.id).where(User.username == values["username"])):
        errors["username"] = "That username is taken."
    if db.session.scalar(select(User.id).where(func.lower(User.email) == values["email"])):
        errors["email"] = "An account with that e-mail already exists."
    if errors:
        raise CommandRejected(errors)
    user = User(
        username=values["username"],
        email=values["email"],
        password_hash=password_hash or generate_password_hash(values["password"]),
        time_zone=values["time_zone"],
        role=role,
        points=0,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except Exception as exc:  # lost a race for the same username or e-mail
        if "unique" in str(exc).lower():
            raise CommandRejected("username", "That username or e-mail is taken.") from None
        raise
    event = events.record("MemberSignedUp", user.id, user_id=user.id, username=user.username)
    award_points(user.id, "welcome", event)
    return user


@handler
def authenticate_member(data: dict) -> User:
    """Check a username (or e-mail) and password; record the log-in."""
    values = parse(LogInSchema, data)
    login = values["username"].strip().lower()
    column = User.email if "@" in login else User.username
    user = db.session.scalar(select(User).where(func.lower(column) == login))
    if user is None or not check_password_hash(user.password_hash, values["password"]):
        raise CommandRejected("_", "Wrong username or password.", status=401)
    events.record("MemberLoggedIn", user.id, user_id=user.id)
    return user


@handler
def update_profile(actor: User, data: dict) -> User:
    """Change the actor's display name, bio and time zone."""
    values = parse(ProfileSchema, data)
    user = db.session.get(User, actor.id, with_for_update=True)
    changed = {k: v for k, v in values.items() if getattr(user, k) != v}
    for key, value in changed.items():
        setattr(user, key, value)
    if changed:
        events.record("ProfileUpdated", user.id, user_id=user.id, fields=sorted(changed))
    return user


class InterestsSchema(CommandSchema):
    topics = fields.List(fields.String(validate=validate.OneOf(TOPICS, error="Pick topics from the list.")),
                         load_default=list, validate=validate.Length(max=10, error="Pick at most {max} topics."))


@handler
def choose_interests(actor: User, data: dict) -> list[str]:
    """Replace the topics the actor wants to learn."""
    topics = list(dict.fromkeys(parse(InterestsSchema, data)["topics"]))
    db.session.execute(delete(MemberTopic).where(MemberTopic.user_id == actor.id))
    for topic in topics:
        db.session.add(MemberTopic(user_id=actor.id, topic=topic))
    events.record("InterestsChosen", actor.id, user_id=actor.id, topics=topics)
    return topics
