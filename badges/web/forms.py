"""Forms shared by several blueprints."""

from __future__ import annotations

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """Buttons that change something (claim, re-check, remove, withdraw): CSRF only."""
