"""Public pages: the landing page and issuer profiles."""

from __future__ import annotations

from flask import Blueprint, render_template

from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import keystore
from badges.issuing.web.documents import bp as documents_bp
from badges.issuing.web.documents import jsonld, org_or_404, wants_json
from badges.kernel.extensions import db, limiter
from badges.organisations.models import Organisation

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


@documents_bp.get("/issuers/<slug>")
@limiter.exempt
def issuer(slug: str):
    """The issuer id: a controller document for machines, the profile page for people."""
    org = org_or_404(slug)
    if wants_json():
        return jsonld(keystore.controller_document(org))
    return issuer_page(org)
