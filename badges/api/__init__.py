"""JSON API blueprints (``/api/v1``). ``register_api`` is the one list of them."""

from __future__ import annotations

from flask import Flask


def register_api(app: Flask) -> None:
    # API blueprints are exempt from CSRF: they authenticate with a Bearer
    # token or take no credentials at all, never the session cookie.
    return None
