"""Column types that mean the same on PostgreSQL and SQLite."""
from datetime import datetime, timezone

from sqlalchemy import BigInteger, DateTime, Integer, TypeDecorator

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Store naive UTC, always hand back aware UTC datetimes (SQLite drops the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


_frozen: datetime | None = None


def utcnow() -> datetime:
    """The current UTC time; tests freeze it with `frozen_time`."""
    return _frozen or datetime.now(timezone.utc)


class frozen_time:
    """Context manager: make utcnow() return `moment` (an aware datetime) inside the block."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __enter__(self) -> datetime:
        global _frozen
        self.previous, _frozen = _frozen, self.moment
        return self.moment

    def __exit__(self, *exc) -> None:
        global _frozen
        _frozen = self.previous
