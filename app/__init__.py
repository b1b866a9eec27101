"""AllThrive: a gamified social learning community. `create_app` builds everything."""
from __future__ import annotations

import logging
import os

from flask import Flask

from app import config as app_config
from app.config import ROOT


def create_app(config: dict | None = None) -> Flask:
    """Create and configure an app; `config` overrides settings from the environment."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.update(app_config.from_environment())
    if config:
        app.config.update(config)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("app", "workers", "commands", "werkzeug"):
        logging.getLogger(name).setLevel(logging.INFO)

    from app import extensions, models  # noqa: F401  (models register their tables)
    from app.extensions import RedisStore, csrf, db, limiter, login_manager, migrate, database_options
    from app.realtime import hub

    database_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    RedisStore().init_app(app)
    limiter.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    hub.init_app(app)

    from app.web import register_blueprints

    register_blueprints(app)

    from app.cli import register_cli

    register_cli(app)

    if app.config.get("INPROCESS_WORKER") and _is_serving_process():
        from workers.runner import start_inprocess_worker

        start_inprocess_worker(app)
    return app


def _is_serving_process() -> bool:
    """Start the in-process worker only for `flask run` (not for other CLI commands)."""
    import sys

    argv = " ".join(sys.argv)
    return os.environ.get("ALLTHRIVE_INPROCESS_FORCE") == "1" or (
        "flask" in os.path.basename(sys.argv[0]) and " run" in f" {argv}"
    )
