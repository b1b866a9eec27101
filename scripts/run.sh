#!/usr/bin/env bash
# Set up and run AllThrive on the embedded default: SQLite, an embedded Redis server and an
# in-process worker. Seeds demo content on first run. No PostgreSQL or Redis to install.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export FLASK_APP=wsgi.py
.venv/bin/flask db upgrade
.venv/bin/flask gamification load
.venv/bin/flask tools load
.venv/bin/flask seed demo --if-empty --users "${DEMO_USERS:-60}"
.venv/bin/flask projections rebuild
PORT="${PORT:-5000}"
echo
echo "  AllThrive is running: open http://127.0.0.1:${PORT}/"
echo
exec .venv/bin/flask run --host 127.0.0.1 --port "$PORT" --no-reload --with-threads
