"""Configuration: ``BADGES_*`` environment variables over safe defaults.

Nothing is read at import time; ``load_config`` runs inside ``create_app``.
The embedded default needs no configuration at all: SQLite under
``instance/``, a secret key generated on first start and kept in
``instance/secret_key`` (never a hard-coded one), mail written to the log.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from badges.kernel.database import dump_json, load_json

# Names read from the environment, with their defaults. The value type of the
# default decides how the environment string is parsed.
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None → sqlite:///instance/badges.sqlite3
    "BASE_URL": "http://127.0.0.1:5000",
    "SECRET_KEY": None,  # None → generated once, stored in instance/secret_key
    "KEY_ENCRYPTION_SECRET": None,  # None → derived from SECRET_KEY
    "KEY_ENCRYPTION_OLD_SECRETS": "",  # comma-separated, for rotation
    "MAIL_SERVER": "",  # empty → mail goes to the log
    "MAIL_PORT": 25,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_USE_TLS": False,
    "MAIL_SENDER": "Skillspas <no-reply@skillspas.local>",
    "MAIL_LOG_BODIES": False,  # without a mail server: log whole mails (local demo only)
    "CLAIM_LINK_DAYS": 90,  # an emailed claim link works this long; the issuer can send a new one
    "REDIS_URL": "",  # empty → no queue (jobs inline), in-memory rate limits
    "QUEUE_NAME": "badges",  # RQ queue; a separate name keeps test runs apart on one Redis
    "REMOTE_FETCH": False,  # fetch hosted OB 2.0 badges and remote keys
    "MAX_UPLOAD_MB": 10,
    "SIGNING_PROCESSES": 0,  # processes that sign large batches; 0: one per core
    "BULK_STALE_SECONDS": 300,  # a running bulk job silent this long is interrupted
    "BULK_RETENTION_DAYS": 30,  # bulk rows' personal cells are erased after this
    "SECURE_COOKIES": None,  # None → on when BASE_URL is https
    "RATELIMIT_ENABLED": True,
    "PROXY_FIX": False,  # behind a reverse proxy: trust one hop of X-Forwarded-*
    "DEFAULT_LOCALE": "nl",
    "LOG_FORMAT": "text",  # "json": one JSON object per line, with request ids
    "METRICS_TOKEN": "",  # empty → /metrics answers loopback only
    "INSIGHT_FLUSH_SECONDS": 5,  # a thread writes verification counts this often (0: never)
    "INSIGHT_REGIONAL_CACHE_SECONDS": 600,  # /statistieken is counted at most this often
    # Who runs this installation: shown on /privacy and /contact. Demo values until set.
    "OPERATOR_NAME": "Skillspas (demo-installatie)",
    "OPERATOR_EMAIL": "contact@skillspas.example",
    "OPERATOR_ADDRESS": "Voorbeeldstraat 1, 1234 AB Voorbeeldstad",
    "OPERATOR_KVK": "00000000",
    "PRIVACY_OFFICER_EMAIL": "privacy@skillspas.example",
}

# The operator's details; the pages say so while any of them still has its demo value.
OPERATOR_KEYS = ("OPERATOR_NAME", "OPERATOR_EMAIL", "OPERATOR_ADDRESS", "OPERATOR_KVK",
                 "PRIVACY_OFFICER_EMAIL")

INSTANCE_DIR_DEFAULT = Path(__file__).resolve().parents[2] / "instance"


def _parse(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def _secret_key(instance_dir: Path) -> str:
    """Return the stored secret key, creating it (mode 0600) on first start."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = instance_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    try:
        # Atomic, and the first of several workers starting at once wins.
        os.link(tmp, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        tmp.unlink()
    return key


def oidc_providers(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``BADGES_OIDC_PROVIDERS=eduid,surfconext`` and per name ``BADGES_OIDC_<NAME>_*``.

    Each provider needs ``_ISSUER`` (its metadata is discovered from
    ``<issuer>/.well-known/openid-configuration``) and ``_CLIENT_ID``; ``_CLIENT_SECRET``,
    ``_LABEL`` (button text) and ``_SCOPE`` are optional. A half-configured
    provider stops the start with a message, rather than a button that fails.
    """
    providers: dict[str, dict[str, str]] = {}
    for raw in environ.get("BADGES_OIDC_PROVIDERS", "").split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if not name.replace("_", "").isalnum() or not name.isascii():
            raise ValueError(f"BADGES_OIDC_PROVIDERS: {name!r} is not a plain name (a-z, 0-9, _)")
        prefix = f"BADGES_OIDC_{name.upper()}_"
        issuer = environ.get(prefix + "ISSUER", "").strip().rstrip("/")
        client_id = environ.get(prefix + "CLIENT_ID", "").strip()
        if not issuer or not client_id:
            raise ValueError(f"OpenID provider {name!r}: set {prefix}ISSUER and {prefix}CLIENT_ID")
        providers[name] = {
            "issuer": issuer,
            "client_id": client_id,
            "client_secret": environ.get(prefix + "CLIENT_SECRET", ""),
            "label": environ.get(prefix + "LABEL", "") or name,
            "scope": environ.get(prefix + "SCOPE", "") or "openid email profile",
        }
    return providers


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Merge defaults, ``BADGES_*`` environment variables and test overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    instance_dir = Path(
        overrides.pop("INSTANCE_DIR", None)
        or environ.get("BADGES_INSTANCE_DIR")
        or INSTANCE_DIR_DEFAULT
    )
    values: dict[str, Any] = {}
    for name, default in DEFAULTS.items():
        raw = environ.get(f"BADGES_{name}")
        values[name] = default if raw is None else _parse(raw, default)
    values.update(overrides)

    if not values["DATABASE_URL"]:
        instance_dir.mkdir(parents=True, exist_ok=True)
        values["DATABASE_URL"] = f"sqlite:///{instance_dir / 'badges.sqlite3'}"
    if not values["SECRET_KEY"]:
        values["SECRET_KEY"] = _secret_key(instance_dir)
    if not values["KEY_ENCRYPTION_SECRET"]:
        values["KEY_ENCRYPTION_SECRET"] = "key-encryption:" + values["SECRET_KEY"]
    values["BASE_URL"] = values["BASE_URL"].rstrip("/")
    if values["SECURE_COOKIES"] is None:
        values["SECURE_COOKIES"] = values["BASE_URL"].startswith("https://")

    url = values["DATABASE_URL"]
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")

    flask_config = {
        "BADGES": values,
        "INSTANCE_DIR": str(instance_dir),
        "SECRET_KEY": values["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": url,
        # A ping before each use finds PostgreSQL connections the server closed; a
        # SQLite file cannot go away under us, and the ping would cost every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not url.startswith("sqlite"),
                                      "json_serializer": dump_json,
                                      "json_deserializer": load_json},
        "MAX_CONTENT_LENGTH": values["MAX_UPLOAD_MB"] * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": values["SECURE_COOKIES"],
        "REMEMBER_COOKIE_SECURE": values["SECURE_COOKIES"],
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # "Ingelogd blijven" for a month, not Flask-Login's year; "Overal
        # uitloggen" or a new password ends it sooner (User.session_version).
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "BABEL_DEFAULT_LOCALE": values["DEFAULT_LOCALE"],
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parents[1] / "translations"
        ),
        "RATELIMIT_ENABLED": values["RATELIMIT_ENABLED"],
        "RATELIMIT_STORAGE_URI": values["REDIS_URL"] or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Sign-in with OpenID Connect (accounts/oidc.py); tests pass the same mapping.
        "OIDC_PROVIDERS": oidc_providers(environ),
    }
    # Test mappings may set Flask keys directly (TESTING, WTF_CSRF_ENABLED, ...).
    for key, value in overrides.items():
        if key.isupper() and key not in DEFAULTS:
            flask_config[key] = value
    return flask_config
