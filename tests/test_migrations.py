"""Migrations build the whole schema from empty, on SQLite as on PostgreSQL, matching the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from app.extensions import db


def test_migrations_on_sqlite_match_the_models(tmp_path, services):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}",
                      "REDIS_URL": services["redis"].url, "INPROCESS_WORKER": False})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_migrations_on_postgres_match_the_models(app):
    # The session's `app` fixture already ran every migration on a fresh PostgreSQL database.
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []
