"""Pages every installation has and no feature owns: privacy statement, contact, about.

The operator fills in who they are through configuration (``BADGES_OPERATOR_*``,
``BADGES_PRIVACY_OFFICER_EMAIL``); until they do, the pages say these are demo details.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from badges.kernel.config import DEFAULTS, OPERATOR_KEYS

bp = Blueprint("info", __name__)


def operator() -> dict[str, Any]:
    """The operator's details, and whether any of them is still a demo value."""
    config = current_app.config["BADGES"]
    details: dict[str, Any] = {key.lower(): config[key] for key in OPERATOR_KEYS}
    details["is_demo"] = any(config[key] == DEFAULTS[key] for key in OPERATOR_KEYS)
    return details


@bp.get("/privacy")
def privacy():
    """The privacy statement (AVG/GDPR articles 13 and 14)."""
    return render_template("info/privacy.html", operator=operator())


@bp.get("/contact")
def contact():
    """How to reach the people who run this installation."""
    return render_template("info/contact.html", operator=operator())


@bp.get("/about")
def about():
    """What Skillspas is and who runs it."""
    return render_template("info/about.html", operator=operator())
