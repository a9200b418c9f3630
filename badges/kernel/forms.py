"""Forms shared by several blueprints."""

from __future__ import annotations

from typing import cast

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class EmptyForm(FlaskForm):
    """Buttons that change something (claim, re-check, remove, withdraw): CSRF only."""


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (each with its own label)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def int_or_none(value: object) -> int | None:
    """``coerce`` for a select whose empty choice means "none"."""
    return int(cast("str | int", value)) if value not in (None, "", "None") else None
