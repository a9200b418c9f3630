"""Forms shared by several blueprints."""

from __future__ import annotations

from typing import cast

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """Buttons that change something (claim, re-check, remove, withdraw): CSRF only."""


def int_or_none(value: object) -> int | None:
    """``coerce`` for a select whose empty choice means "none"."""
    return int(cast("str | int", value)) if value not in (None, "", "None") else None
