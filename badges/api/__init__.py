"""JSON API blueprints (``/api/v1``). ``register_api`` is the one list of them."""

from __future__ import annotations

from flask import Flask


def register_api(app: Flask) -> None:
    # API blueprints are exempt from CSRF: they authenticate with a Bearer
    # token or take no credentials at all, never the session cookie.
    from badges.api.bulk import bp as bulk_bp
    from badges.api.credentials import bp as credentials_bp
    from badges.api.openapi import bp as openapi_bp
    from badges.api.verify import bp as verify_bp

    app.register_blueprint(verify_bp)
    for blueprint in (credentials_bp, bulk_bp, openapi_bp):
        app.register_blueprint(blueprint)
