"""AI spend: reserve a call's worst case against today's caps, then settle it to what it really cost.

Each function runs its own short transaction on a session apart from `db.session`, so a caller
in the middle of its own work never has that work committed by metering, and spend is kept even
when the caller's work later rolls back (the vendor was paid either way). Metering records no
events: nothing is projected from it; `flask ai usage` reads the rows.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app
from marshmallow import fields, validate
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import AiSpend, AiUsage
from app.models.types import utcnow
from app.rules import AI_PRICES
from commands.base import CommandRejected, CommandSchema, parse

SITE = "site"


@dataclass(frozen=True)
class Reservation:
    """Spend held for one call in flight: `micros` on each scope, on a UTC day."""

    day: date
    member_id: int | None
    scopes: tuple[str, ...]
    micros: int


@contextmanager
def own_transaction() -> Iterator[Session]:
    with Session(db.engine, expire_on_commit=False) as session, session.begin():
        yield session


def caps_micros() -> dict[str, int]:
    """Today's caps in micro-dollars: "member" (each member) and "site" (everyone and the site itself)."""
    config = current_app.config
    return {"member": round(config["AI_MEMBER_DAILY_CAP_USD"] * 1_000_000),
            SITE: round(config["AI_DAILY_CAP_USD"] * 1_000_000)}


def member_scope(member_id: int) -> str:
    return f"member:{member_id}"


class ReserveAiSpendSchema(CommandSchema):
    member_id = fields.Integer(allow_none=True, load_default=None)
    micros = fields.Integer(required=True, validate=validate.Range(min=0))


def reserve_ai_spend(data: dict) -> Reservation:
    """Hold a call's worst-case cost on the member's and the site's total for today, or refuse
    (429) when it would not fit under a cap.

    Each hold is one conditional upsert (`... ON CONFLICT DO UPDATE ... WHERE spent + reserved +
    cost <= cap`): the row lock makes check and hold one step, so concurrent calls queue on it
    and the sum of settled and held spend never passes the cap. Rows are always locked member
    first, then site, so two calls cannot deadlock.
    """
    values = parse(ReserveAiSpendSchema, data)
    member_id, caps = values["member_id"], caps_micros()
    need = max(values["micros"], 1)  # even a free call needs room: a reached cap stops every call
    scopes = ([(member_scope(member_id), caps["member"], "member")] if member_id else []) + [(SITE, caps[SITE], SITE)]
    day = utcnow().date()
    with own_transaction() as session:
        for scope, cap, kind in scopes:
            if need > cap or not _hold(session, day, scope, need, cap):
                who = "Your" if kind == "member" else "The site's"
                raise CommandRejected(kind, f"{who} AI budget for today is used up.", status=429)
    return Reservation(day, member_id, tuple(scope for scope, _, _ in scopes), need)


def _hold(session: Session, day: date, scope: str, micros: int, cap: int) -> bool:
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    statement = dialect.insert(AiSpend).values(day=day, scope=scope, spent_micros=0, reserved_micros=micros)
    statement = statement.on_conflict_do_update(
        index_elements=[AiSpend.day, AiSpend.scope],
        set_={"reserved_micros": AiSpend.reserved_micros + micros},
        where=AiSpend.spent_micros + AiSpend.reserved_micros + micros <= cap,
    ).returning(AiSpend.scope)
    return session.execute(statement).scalar() is not None


class RecordAiUsageSchema(CommandSchema):
    provider = fields.String(required=True)
    model = fields.String(required=True, validate=validate.Length(1, 80))
    operation = fields.String(required=True, validate=validate.OneOf(("moderate", "judge", "summarise", "embed")))
    input_tokens = fields.Integer(load_default=0, validate=validate.Range(min=0))
    output_tokens = fields.Integer(load_default=0, validate=validate.Range(min=0))


def record_ai_usage(reservation: Reservation, data: dict) -> AiUsage:
    """Record a call the vendor answered, with the tokens its response reported, and settle its hold."""
    values = parse(RecordAiUsageSchema, data)
    price = AI_PRICES.get((values["provider"], values["model"]))
    if price is None:
        raise CommandRejected("model", f"No price for {values['provider']} {values['model']} in AI_PRICES.")
    cost = price.cost_micros(values["input_tokens"], values["output_tokens"])
    with own_transaction() as session:
        usage = AiUsage(member_id=reservation.member_id, day=reservation.day, cost_micros=cost, **values)
        session.add(usage)
        _settle(session, reservation, cost)
    return usage


def release_ai_spend(reservation: Reservation) -> None:
    """Give back a hold whose call never reached the vendor's answer (an error or a timeout)."""
    with own_transaction() as session:
        _settle(session, reservation, 0)


def _settle(session: Session, reservation: Reservation, cost: int) -> None:
    session.execute(
        update(AiSpend)
        .where(AiSpend.day == reservation.day, AiSpend.scope.in_(reservation.scopes))
        .values(spent_micros=AiSpend.spent_micros + cost,
                reserved_micros=AiSpend.reserved_micros - reservation.micros)
    )
