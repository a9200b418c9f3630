"""Public pages: the landing page and issuer profiles."""

from __future__ import annotations

from flask import Blueprint, render_template

from badges.catalogue import achievements
from badges.issuing import keystore
from badges.issuing.web.documents import bp as documents_bp
from badges.issuing.web.documents import jsonld, org_or_404, wants_json
from badges.kernel.extensions import limiter
from badges.organisations import services as organisations
from badges.organisations.models import Organisation

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    """Show the landing page for learners, colleges and employers."""
    return render_template("public/home.html", issuers=organisations.featured(8))


def issuer_page(org: Organisation) -> str:
    """Render an issuer's public profile (the HTML side of the issuer id URL)."""
    return render_template("public/issuer.html", org=org,
                           achievements=achievements.issuable(org))


@documents_bp.get("/issuers/<slug>")
@limiter.exempt
def issuer(slug: str):
    """The issuer id: a controller document for machines, the profile page for people."""
    org = org_or_404(slug)
    if wants_json():
        return jsonld(keystore.controller_document(org))
    return issuer_page(org)
