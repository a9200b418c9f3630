"""Skillspas: issue, keep and verify Open Badges 3.0 credentials."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI — in that order."""
    from badges import cli, database, i18n, security
    from badges.api import register_api
    from badges.config import load_config
    from badges.errors import register_error_handlers
    from badges.extensions import babel, csrf, db, limiter, login_manager, migrate
    from badges.web import register_web

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(config))
    if app.config["BADGES"]["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # One trusted proxy (nginx) sets X-Forwarded-For/-Proto/-Host/-Port.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)  # type: ignore[method-assign]

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)

    i18n.init_app(app)
    security.init_app(app)
    register_error_handlers(app)
    register_web(app)
    register_api(app)
    cli.init_app(app)
    return app
