"""What every command handler shares: one transaction, one error type, enqueue after commit."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from marshmallow import EXCLUDE, Schema, ValidationError
from sqlalchemy.dialects import postgresql, sqlite

from app import events
from app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


class CommandRejected(Exception):
    """A command was refused; `errors` maps a field (or "_") to messages for the member."""

    def __init__(self, field: str | dict, message: str | None = None, status: int = 422):
        if isinstance(field, dict):
            errors = {k: (v if isinstance(v, list) else [v]) for k, v in field.items()}
        else:
            errors = {field: [message or "is invalid"]}
        super().__init__("; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items()))
        self.errors = errors
        self.status = status

    @property
    def message(self) -> str:
        return " ".join(str(m) for msgs in self.errors.values() for m in _flatten(msgs))


def _flatten(messages):
    for m in messages:
        if isinstance(m, dict):
            for inner in m.values():
                yield from _flatten(inner if isinstance(inner, list) else [inner])
        else:
            yield m


class CommandSchema(Schema):
    """Base schema: ignore fields the form adds (the CSRF token), strip surrounding spaces."""

    class Meta:
        unknown = EXCLUDE


def parse(schema: type[Schema], data: Any) -> dict:
    """Load data with a schema; shape errors become one CommandRejected."""
    try:
        return schema().load(data or {})
    except ValidationError as exc:
        raise CommandRejected(exc.messages) from None


def handler(fn: F) -> F:
    """Run a handler in one transaction; enqueue its events only after the commit succeeds."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            events.take_pending()
            raise
        events.enqueue(events.take_pending())
        return result

    return run  # type: ignore[return-value]


def insert_ignoring_duplicates(model, **values) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; return whether a row was inserted."""
    return insert_returning_id(model, **values) is not None


def insert_returning_id(model, **values):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the first primary-key column (None if it existed)."""
    dialect = db.session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}[dialect]
    primary_key = model.__table__.primary_key.columns.values()[0]
    statement = module.insert(model).values(**values).on_conflict_do_nothing().returning(primary_key)
    return db.session.execute(statement).scalar()
