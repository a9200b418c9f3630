"""The URLs inside credentials: issuer, keys, achievements, credentials, status lists.

Each dereferences to JSON-LD for machines and HTML for people (content
negotiation on ``Accept``). These are public by design: a verifier anywhere
must be able to fetch them without an account.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, url_for

from badges.catalogue import achievements
from badges.issuing import endorsements, keystore, records, status_lists, vc_jwt
from badges.issuing.web.negotiation import JSONLD, json_mimetype, wants_json, wants_jwt
from badges.kernel.extensions import limiter
from badges.kernel.media import images
from badges.organisations import services as organisations
from badges.organisations.models import Organisation

bp = Blueprint("documents", __name__)

__all__ = ["JSONLD", "bp", "jsonld", "org_or_404", "wants_json"]


def jsonld(document: dict, *, max_age: int = 300) -> Response:
    response = jsonify(document)
    response.mimetype = json_mimetype()
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Vary"] = "Accept"
    return response


def org_or_404(slug: str) -> Organisation:
    return organisations.by_slug(slug) or abort(404)


@bp.get("/issuers/<slug>/jwks.json")
@limiter.exempt
def jwks(slug: str):
    """The issuer's public keys as a JWK Set, for VC-JWT verifiers."""
    response = jsonify(keystore.jwks(org_or_404(slug)))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/issuers/<slug>/logo")
@limiter.exempt
def issuer_logo(slug: str):
    """The organisation's logo (checked on upload); an uploaded SVG never runs script."""
    org = org_or_404(slug)
    if not org.logo or org.logo_mime not in {"image/png", "image/svg+xml"}:
        abort(404)
    response = Response(org.logo, mimetype=org.logo_mime)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    if org.logo_mime == "image/svg+xml":
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.get("/achievements/<uuid>")
def achievement(uuid: str):
    """An achievement: OB 3.0 Achievement JSON for machines, a page for people."""
    a = achievements.by_uuid(uuid) or abort(404)
    if wants_json():
        from badges.credentials.documents import achievement as achievement_json
        from badges.credentials.loader import OB_V3P0, VC_V2
        from badges.issuing.credential_data import achievement_data

        document = achievement_json(achievement_data(a))
        # Its own embedded context (terms OB 3.0 lacks) goes after the standard ones.
        own = [document.pop("@context")] if "@context" in document else []
        return jsonld({"@context": [VC_V2, OB_V3P0, *own], **document})
    return render_template("public/achievement.html", achievement=a)


@bp.get("/endorsements/<uuid>")
def endorsement(uuid: str):
    """An endorsement's id: the signed EndorsementCredential for machines; people see it on
    the achievement's page. A withdrawn one is gone (410), as it is from that page."""
    row = endorsements.published(uuid) or abort(404)
    if row.revoked_at is not None:
        abort(410)
    if wants_json():
        return jsonld(row.document)
    return redirect(url_for("documents.achievement", uuid=row.achievement.uuid))


@bp.get("/achievements/<uuid>/image")
def achievement_image(uuid: str):
    """The badge image: the uploaded one, the designed one, or a default in the issuer's colour."""
    a = achievements.by_uuid(uuid) or abort(404)
    body, mime = images.badge_image(a.image, a.image_mime, a.name, a.organisation.colour,
                                    (a.details or {}).get("design"))
    response = Response(body, mimetype=mime)
    response.headers["Cache-Control"] = "public, max-age=3600"
    if mime == "image/svg+xml":  # an uploaded SVG must never run script
        response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.get("/credentials/<uuid>")
def credential(uuid: str):
    """A credential's id: the signed document for machines, a short public page for people."""
    cred = records.by_uuid(uuid)
    if cred is None:
        abort(404)
    if cred.holder_deleted_at is not None:
        # The learner deleted their account: we stop serving it (copies still verify).
        verify = url_for("verify.page") if "verify.page" in _endpoints() else None
        return render_template("public/credential_gone.html", verify_url=verify), 410
    if wants_jwt():
        response = Response(vc_jwt.credential_jwt(cred), mimetype=vc_jwt.MEDIA_TYPE)
        response.headers["Cache-Control"] = "public, max-age=60"
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Vary"] = "Accept"
        return response
    if wants_json():
        return jsonld(cred.document, max_age=60)
    if "verify.page" in _endpoints():
        return redirect(url_for("verify.page", credential=uuid))
    return render_template("public/credential.html", credential=cred)


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


@bp.get("/status/<uuid>")
@limiter.exempt
def status_list(uuid: str):
    """A signed BitstringStatusListCredential (short cache: revocations show fast)."""
    row = status_lists.by_uuid(uuid) or abort(404)
    return jsonld(status_lists.published_credential(row), max_age=60)


@bp.get("/contexts/microcredential/v1.jsonld")
@limiter.exempt
def microcredential_context():
    """Our frozen JSON-LD context for the EU micro-credential elements, byte for byte the file
    the engine bundles (so what verifiers fetch is what signatures were computed with)."""
    from badges.credentials.loader import CONTEXT_FILES, CONTEXTS_DIR, MICROCREDENTIAL_V1

    body = (CONTEXTS_DIR / CONTEXT_FILES[MICROCREDENTIAL_V1]).read_bytes()
    response = Response(body, mimetype=JSONLD)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
