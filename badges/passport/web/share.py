"""Sharing: the learner's share links, the public share page, downloads."""

from __future__ import annotations

from datetime import date, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from badges.issuing.models import CredentialState
from badges.issuing.web.negotiation import wants_json
from badges.kernel.errors import ServiceError
from badges.kernel.i18n import end_of_local_day
from badges.kernel.media.qr import qr_svg
from badges.passport import certificate, share
from badges.passport import services as passport
from badges.passport.web.share_forms import ConfirmForm, ShareForm

bp = Blueprint("share", __name__)


@bp.app_template_global()
def linkedin_url(credential) -> str:
    return share.linkedin_url(credential)


@bp.app_template_global()
def credential_verify_url(uuid: str) -> str:
    return share.verify_url(uuid)


def _end_of_day(day: date | None) -> datetime | None:
    """A chosen date means "through that day" in Dutch time."""
    if day is None:
        return None
    return end_of_local_day(day)


def _file_response(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _private(response: Response) -> Response:
    """Public share pages: not indexed, not cached, no token leaking in a Referer."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# --- the learner's pages ------------------------------------------------------------


@bp.get("/passport/share")
@login_required
def index():
    """List my share links: views, last viewed, revoke."""
    return render_template("share/index.html", links=share.links_for(current_user.id),
                           form=ConfirmForm(), share_url=share.share_url)


@bp.route("/passport/share/new", methods=["GET", "POST"])
@login_required
def new():
    """Choose credentials, a name and an optional end date; create the link."""
    creds = share.owned_credentials(current_user.id)
    imports = share.owned_imports(current_user.id)
    form = ShareForm()
    form.credentials.choices = [SelectChoice(f"c-{c.uuid}", c.achievement.name) for c in creds] + [
        SelectChoice(f"i-{i.uuid}", i.name or "Badge") for i in imports]
    if request.method == "GET" and request.args.get("credential"):
        form.credentials.data = [f"c-{request.args['credential']}"]
    if form.validate_on_submit():
        chosen = form.credentials.data or []
        try:
            link = share.create_link(
                current_user, form.title.data,
                [v[2:] for v in chosen if v.startswith("c-")],
                [v[2:] for v in chosen if v.startswith("i-")],
                _end_of_day(form.expires_on.data))
        except ServiceError as exc:
            getattr(form, exc.field or "credentials", form.credentials).errors.append(exc.message)
        else:
            flash(_("Je link is klaar. Deel hem met wie je wilt."), "success")
            return redirect(url_for("share.detail", link_id=link.id))
    return render_template("share/new.html", form=form, creds=creds, imports=imports,
                           status=passport.credential_status, labels=passport.STATUS)


@bp.get("/passport/share/<int:link_id>")
@login_required
def detail(link_id: int):
    """One link: its address, QR code and what it shows."""
    link = share.own_link(current_user.id, link_id) or abort(404)
    url = share.share_url(link.token)
    return render_template("share/detail.html", link=link, url=url, qr=qr_svg(url),
                           form=ConfirmForm())


@bp.get("/passport/share/<int:link_id>/qr.svg")
@login_required
def qr_download(link_id: int):
    """Download the link's QR code as SVG (prints sharp at any size)."""
    link = share.own_link(current_user.id, link_id) or abort(404)
    return _file_response(qr_svg(share.share_url(link.token)).encode("utf-8"), "image/svg+xml",
                          f"skillspas-link-{link.id}.svg")


@bp.post("/passport/share/<int:link_id>/revoke")
@login_required
def revoke(link_id: int):
    """Stop a link at once."""
    form = ConfirmForm()
    link = share.own_link(current_user.id, link_id) or abort(404)
    if form.validate_on_submit():
        share.revoke(current_user, link)
        flash(_("De link werkt niet meer. Wie hem opent, ziet niets meer van jou."), "success")
    return redirect(url_for("share.index"))


@bp.get("/passport/credentials/<uuid>/download/<fmt>")
@login_required
def download(uuid: str, fmt: str):
    """Download my own credential: baked PNG or SVG, or the signed JSON."""
    if fmt not in share.FORMATS:
        abort(404)
    cred = passport.own_credential(current_user.id, uuid) or abort(404)
    return _file_response(*share.credential_file(cred, fmt))


def _lang() -> str:
    return "en" if str(get_locale() or "nl") == "en" else "nl"


def _certificate(cred) -> Response:
    if cred.state != CredentialState.ACTIVE:  # no paper that looks valid for a revoked one
        abort(404)
    lang = _lang()
    prefix = "certificate" if lang == "en" else "certificaat"
    return _file_response(certificate.pdf(cred, lang), "application/pdf",
                          f"{prefix}-{share.file_stem(cred)}.pdf")


@bp.get("/passport/credentials/<uuid>/certificaat.pdf")
@login_required
def certificate_pdf(uuid: str):
    """A printable certificate of my own credential, in the reader's language."""
    cred = passport.own_credential(current_user.id, uuid) or abort(404)
    return _certificate(cred)


# --- public ---------------------------------------------------------------------------


def _active_link(token: str):
    link = share.find_link(token)
    if link is None and share.retired(token):  # its owner deleted the account
        abort(_private(Response(render_template("share/gone.html", deleted=True), status=410)))
    if link is None:
        abort(404)
    if not link.is_active():
        abort(_private(Response(render_template("share/gone.html"), status=410)))
    return link


@bp.get("/s/<token>")
def public(token: str):
    """What a learner chose to show: only those credentials, each checked live."""
    link = _active_link(token)
    if wants_json():
        return public_presentation(token)
    share.record_view(link)
    items = share.shared_items(link)
    return _private(Response(render_template(
        "share/public.html", link=link, items=items, name=share.shown_name(link),
        token=token)))


@bp.get("/s/<token>/presentation")
def public_presentation(token: str):
    """The link's selection as a Verifiable Presentation (also ``Accept: application/ld+json``
    on the page); ``POST /vc-api/presentations/verify`` checks it."""
    link = _active_link(token)
    share.record_view(link)
    response = jsonify(share.presentation(link, token))
    response.mimetype = "application/ld+json"
    response.headers["Vary"] = "Accept"
    return _private(response)


@bp.get("/s/<token>/<uuid>.<fmt>")
def public_download(token: str, uuid: str, fmt: str):
    """A shared credential as a file; only credentials this link shows."""
    link = _active_link(token)
    cred = share.shared_credential(link, uuid)
    if cred is not None and fmt in share.FORMATS:
        return _private(_file_response(*share.credential_file(cred, fmt)))
    item = share.shared_import(link, uuid)
    if item is not None and fmt == "json":
        return _private(_file_response(*share.imported_file(item)))
    abort(404)


@bp.get("/s/<token>/<uuid>/certificaat.pdf")
def public_certificate(token: str, uuid: str):
    """The certificate of a credential this link shows."""
    link = _active_link(token)
    cred = share.shared_credential(link, uuid) or abort(404)
    return _private(_certificate(cred))
