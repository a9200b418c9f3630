"""Skillspas: issue, keep and verify Open Badges 3.0 credentials.

This file imports nothing, so that the credential engine (``badges.credentials``)
can be used as a library without Flask or SQLAlchemy installed. The web
application is built by :func:`badges.app.create_app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application (see :func:`badges.app.create_app`)."""
    from badges.app import create_app as build

    return build(config)
