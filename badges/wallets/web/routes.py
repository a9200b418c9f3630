"""The passport's "Naar mijn wallet": an offer as a QR code and a link, and what went to wallets."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user, login_required

from badges.kernel.errors import ServiceError
from badges.kernel.forms import EmptyForm
from badges.kernel.media.qr import qr_svg
from badges.passport import services as passport
from badges.wallets import services as wallets

bp = Blueprint("wallet", __name__)


@bp.app_template_global()
def wallet_deliveries(credential) -> list:
    """For the passport's credential page: where this credential went (the owner's own only)."""
    return wallets.deliveries_of(current_user.id, credential.id)


def _page(cred, form: EmptyForm, new: wallets.NewOffer | None = None, error: str | None = None,
          status: int = 200) -> Response:
    html = render_template(
        "wallet/offer.html", cred=cred, form=form, new=new, error=error,
        qr=qr_svg(new.qr_uri) if new else None,
        minutes=int(wallets.OFFER_LIFETIME.total_seconds() // 60),
        deliveries=wallets.deliveries_of(current_user.id, cred.id))
    response = Response(html, status=status)
    # the page holds a one-time code: never from a cache, never in a Referer
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/passport/c/<uuid>/wallet")
@login_required
def offer(uuid: str):
    """Explain the hand-off and list the wallets that received this credential."""
    cred = passport.own_credential(current_user.id, uuid) or abort(404)
    return _page(cred, EmptyForm())


@bp.post("/passport/c/<uuid>/wallet")
@login_required
def create_offer(uuid: str):
    """Make a new offer (older open ones stop) and show its QR code, link and code."""
    cred = passport.own_credential(current_user.id, uuid) or abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        new = wallets.create_offer(current_user, cred)
    except ServiceError as exc:
        return _page(cred, form, error=exc.message, status=409)
    return _page(cred, form, new=new)
