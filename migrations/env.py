"""Run migrations against the app's database (PostgreSQL or SQLite) with the app's metadata."""
from alembic import context
from flask import current_app

from app.extensions import db

config = context.config
target_metadata = db.metadata
options = dict(
    target_metadata=target_metadata,
    compare_type=True,
    # SQLite cannot ALTER most things: batch mode rebuilds tables instead.
    render_as_batch=True,
)


def run_offline() -> None:
    context.configure(url=str(db.engine.url), literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    with db.engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


with current_app.app_context():
    if context.is_offline_mode():
        run_offline()
    else:
        run_online()
