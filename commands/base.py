"""What every command handler shares: one transaction, one error type, enqueue after commit."""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from marshmallow import EXCLUDE, Schema, ValidationError
from sqlalchemy import bindparam
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


_SCHEMAS: dict[type[Schema], Schema] = {}


def parse(schema: type[Schema], data: Any) -> dict:
    """Load data with a schema; shape errors become one CommandRejected.

    One instance per schema class is kept: building a marshmallow schema costs more than loading
    a small command with it, and our schemas hold no per-load state."""
    instance = _SCHEMAS.get(schema)
    if instance is None:
        instance = _SCHEMAS[schema] = schema()
    try:
        return instance.load(data or {})
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


_INSERTS: dict[tuple, Any] = {}


def insert_returning_id(model, **values):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the first primary-key column (None if it existed).

    The statement is built once per table, dialect and set of columns (its values are bound at
    execution), so a hot path like a like pays for execution only."""
    events.flush_pending()
    connection = db.session.connection()
    key = (model.__table__, connection.dialect.name, tuple(values))
    statement = _INSERTS.get(key)
    if statement is None:
        table = model.__table__
        module = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
        statement = _INSERTS[key] = (module.insert(table).values({c: bindparam(c) for c in values})
                                     .on_conflict_do_nothing()
                                     .returning(table.primary_key.columns.values()[0]))
    return connection.execute(statement, values).scalar()
