"""Public pages: the landing page and issuer profiles."""

from __future__ import annotations

from flask import Blueprint, render_template

from badges.extensions import db
from badges.models import Achievement, AchievementState, Organisation

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    """Show the landing page for learners, colleges and employers."""
    issuers = db.session.scalars(
        db.select(Organisation).order_by(Organisation.verified.desc(), Organisation.name).limit(8)
    ).all()
    return render_template("public/home.html", issuers=issuers)


def issuer_page(org: Organisation) -> str:
    """Render an issuer's public profile (the HTML side of the issuer id URL)."""
    achievements = db.session.scalars(
        db.select(Achievement)
        .filter_by(organisation_id=org.id, state=AchievementState.PUBLISHED)
        .order_by(Achievement.name)
    ).all()
    return render_template("public/issuer.html", org=org, achievements=achievements)
