"""The verify page: a file, pasted text or a link in; a plain answer out.

Views stay thin: they pick the input, call ``verify_outcome.verify`` and
render. Nothing about the visitor or the input is stored; a receipt is made
by posting the same input again.
"""

from __future__ import annotations

import base64
import binascii
import json

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from badges.kernel import urls
from badges.kernel.extensions import limiter
from badges.kernel.media import qr
from badges.verification import outcome as verify_outcome
from badges.verification import receipts, wording
from badges.verification import sources as verify_sources
from badges.verification.sources import InputRefused, Source
from badges.verification.web import texts
from badges.verification.web.forms import ReceiptForm, VerifyForm

bp = Blueprint("verify", __name__)

# Inputs up to this size ride along (base64) in the receipt form; above it
# the re-post would pass the upload limit, so no receipt is offered.
RECEIPT_INLINE_MAX = 6 * 1024 * 1024
UNTRUSTED_COPY = {"tampered", "not_signed", "wrong_issuer", "compromised_key", "invalid",
                  "unreadable"}


def _lang() -> str:
    return "en" if str(get_locale() or "nl") == "en" else "nl"


def _date(value: str | None) -> str | None:
    """A date of the credential in words, on its Dutch calendar day (``2026-03-01T23:30Z`` is
    "2 maart 2026"), as the rest of the answer says dates."""
    return wording.long_date(value) or value


def _own_badge_image(outcome: verify_outcome.Outcome) -> str | None:
    """The badge image of a valid credential of one of our achievements (never an outside
    image: a page here does not hotlink what a document names)."""
    achievement = (outcome.report.get("credential") or {}).get("achievement") or {}
    found, prefix = str(achievement.get("id") or ""), f"{urls.base_url()}/achievements/"
    rest = found.removeprefix(prefix)
    if outcome.kind != "valid" or not found.startswith(prefix) or not rest or "/" in rest:
        return None
    return found + "/image"


def _render(form: VerifyForm, *, outcome: verify_outcome.Outcome | None = None,
            source: Source | None = None, data: bytes | None = None,
            error: str | None = None, status: int = 200):
    context: dict = {"form": form, "error": error, "outcome": outcome, "texts": texts,
                     "fmt_date": _date, "lang": _lang()}
    if outcome is not None:
        context["receipt"] = _receipt_fields(source, data)
        context["address"] = _address_answer(form, outcome)
        if source is not None and verify_outcome.only_address_differs(outcome):
            # Genuine or not is its own question: answer it without the typed address.
            outcome = _run(source, None)
            context["outcome"] = outcome
        if outcome.kind not in UNTRUSTED_COPY:
            context["holder_name"] = verify_sources.holder_name(outcome.local_uuid)
        context["badge_image"] = _own_badge_image(outcome)
        if verify_sources.holder_deleted(outcome.local_uuid):
            # A copy of ours whose holder deleted their account: say so, link nowhere.
            context["holder_deleted"] = verify_sources.HOLDER_DELETED[1 if _lang() == "en" else 0]
        elif outcome.local_uuid and outcome.kind in UNTRUSTED_COPY:
            # A forged copy names a real credential of ours: point at what the
            # issuer really issued, but never offer a QR code that vouches for the copy.
            context["original"] = f"{urls.base_url()}/verify?credential={outcome.local_uuid}"
        elif outcome.local_uuid:
            link = f"{urls.base_url()}/verify?credential={outcome.local_uuid}"
            svg = qr.qr_svg(link, box_size=6)
            context["reverify"] = {
                "url": link,
                "qr": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
            }
    return render_template("verify/page.html", **context), status


def _address_answer(form: VerifyForm, outcome: verify_outcome.Outcome) -> dict | None:
    """Whether the credential was issued to the address the visitor typed (None: not asked)."""
    email = (form.email.data or "").strip() if request.method == "POST" else ""
    check = next((c for c in outcome.report.get("checks", []) if c.get("id") == "recipient"),
                 None)
    if not email or check is None or check.get("status") == "skipped":
        return None
    return {"email": email, "status": check.get("status")}


def _receipt_fields(source: Source | None, data: bytes | None) -> dict | None:
    if source is None:
        return None
    if source.kind == "credential" and source.local_uuid:
        return {"credential": source.local_uuid}
    if source.kind == "link":
        return {"link": source.label}
    if data is not None and len(data) <= RECEIPT_INLINE_MAX:
        return {"input_b64": base64.b64encode(data).decode("ascii")}
    return None


def _source_from_form(form: VerifyForm) -> tuple[Source, bytes | None]:
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", None):
        data = upload.read()
        if not data:
            raise InputRefused("empty", "Het bestand is leeg.", "The file is empty.")
        return Source(data, "file", upload.filename[:200]), data
    text = (form.text.data or "").strip()
    if not text:
        raise InputRefused("nothing", "Kies een bestand, of plak de inhoud of een link.",
                           "Choose a file, or paste the contents or a link.")
    if verify_sources.looks_like_link(text):
        return verify_sources.resolve_link(text), None
    data = text.encode("utf-8")
    return Source(data, "text"), data


def _run(source: Source, email: str | None) -> verify_outcome.Outcome:
    outcome = verify_outcome.verify(source.data, email=email, source=source.kind,
                                    local_uuid=source.local_uuid)
    verify_outcome.notify_checked(outcome)
    return outcome


@bp.route("/verify", methods=["GET", "POST"], endpoint="page")
@limiter.limit("30 per minute", methods=["POST"])
def page():
    """Show the verify form, or the answer for an upload, text, link or ?credential=."""
    form = VerifyForm()
    lang = _lang()
    if request.method == "GET":
        uuid = request.args.get("credential")
        if not uuid:
            return _render(form)
        try:
            source = verify_sources.local_credential(uuid)
        except InputRefused as exc:
            return _render(form, error=exc.text(lang), status=exc.status)
        return _render(form, outcome=_run(source, None), source=source)
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            return _render(form, error=_("Het formulier is verlopen. Probeer het opnieuw."),
                           status=400)
        return _render(form, error=_("Controleer de velden hieronder."), status=400)
    try:
        source, data = _source_from_form(form)
    except InputRefused as exc:
        return _render(form, error=exc.text(lang), status=exc.status)
    outcome = _run(source, form.email.data)
    return _render(form, outcome=outcome, source=source, data=data)


@bp.post("/verify/receipt")
@limiter.limit("30 per minute")
def receipt():
    """Check the same input again and return a receipt as PDF or JSON."""
    form = ReceiptForm()
    lang = _lang()
    if not form.validate_on_submit():
        return _render(VerifyForm(), error=_("Het formulier is verlopen. Probeer het opnieuw."),
                       status=400)
    try:
        source = _receipt_source(form)
    except InputRefused as exc:
        return _render(VerifyForm(), error=exc.text(lang), status=exc.status)
    outcome = _run(source, form.email.data)
    data = receipts.build(outcome)
    stamp = data["checked_at"].replace(":", "").replace("-", "")
    if form.format.data == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        return _download(body, "application/json", f"verificatie-{stamp}.json")
    name = f"verification-{stamp}.pdf" if lang == "en" else f"verificatie-{stamp}.pdf"
    return _download(receipts.pdf(data, lang, _wording(data, outcome)), "application/pdf", name)


def _wording(data: dict, outcome: verify_outcome.Outcome) -> receipts.Wording:
    """The receipt says what the verify page says, in the same words and language."""
    answer = texts.ANSWERS.get(data["outcome"], texts.ANSWERS["indeterminate"])
    return receipts.Wording(
        headline=str(answer[2]), advice=str(answer[3]),
        trust=str(texts.trust_line(outcome.trust, outcome.report)[2]) if data["issuer_trust"]
        else "",
        check_names={key: str(value) for key, value in texts.CHECK_NAMES.items()},
        check_status={key: str(value[2]) for key, value in texts.CHECK_STATUS.items()},
        sentence=wording.detail(outcome.report, outcome.kind, outcome.trust))


def _receipt_source(form: ReceiptForm) -> Source:
    if form.credential.data:
        return verify_sources.local_credential(form.credential.data)
    if form.link.data:
        return verify_sources.resolve_link(form.link.data)
    try:
        data = base64.b64decode(form.input_b64.data or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InputRefused("bad_receipt", "De invoer voor het bewijs is beschadigd.",
                           "The input for the receipt is damaged.") from exc
    if not data:
        raise InputRefused("nothing", "Er is niets om te controleren.", "There is nothing to check.")
    return Source(data, "file")


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc: RequestEntityTooLarge):
    """An upload over the limit gets the form back with a plain message, not a bare 413."""
    limit = current_app.config["BADGES"]["MAX_UPLOAD_MB"]
    return _render(VerifyForm(formdata=None), status=413,
                   error=_("Het bestand is te groot. Het mag maximaal %(mb)s MB zijn.", mb=limit))


@bp.errorhandler(CSRFError)
def csrf_failed(_exc: CSRFError):
    """A stale or missing form token: show the form again with a plain message."""
    return _render(VerifyForm(formdata=None), status=400,
                   error=_("Het formulier is verlopen. Probeer het opnieuw."))
