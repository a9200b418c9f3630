"""Issuer workspace: the organisation picker and each organisation's dashboard.

Every route under ``/issuer/<slug>/`` goes through :func:`org_route`, which
logs the user in, loads the organisation and checks the role *before* the
view runs; views then look things up only inside that organisation, so a
member of one organisation can never reach another's achievements,
credentials or people by guessing ids.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from badges.organisations import services as organisations
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.permissions import ROLE_RANK, organisation_with_role

bp = Blueprint("issuer", __name__, url_prefix="/issuer")


def org_route(rule: str, minimum: Role, **options: Any) -> Callable:
    """Register ``/issuer/<slug><rule>``; the view gets ``(org, member, **kwargs)``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapper(slug: str, **kwargs: Any) -> Any:
            org, member = organisation_with_role(slug, minimum)
            return view(org, member, **kwargs)

        bp.add_url_rule(f"/<slug>{rule}", view.__name__, wrapper, **options)
        return wrapper

    return decorator


def can(member: Membership, role: Role) -> bool:
    return ROLE_RANK[member.role] >= ROLE_RANK[role]


def in_org(model: type, org: Organisation, **filters: Any) -> Any:
    """One row of ``model`` that belongs to ``org`` (404 otherwise, whoever asks)."""
    return organisations.find_in_org(model, org, **filters) or abort(404)


ROLE_LABELS = {Role.VIEWER: _l("meekijken"), Role.ISSUER: _l("uitgeven"),
               Role.APPROVER: _l("uitgeven en goedkeuren"), Role.ADMIN: _l("beheren")}


@bp.context_processor
def template_helpers() -> dict[str, Any]:
    """What issuer/_layout.html needs; other workspace blueprints (bulk) register it too."""
    return {"issuer_can": can, "Role": Role, "has_endpoint": lambda e: e in current_app.view_functions,
            "role_label": lambda r: str(ROLE_LABELS.get(r, r))}


@bp.get("/")
@login_required
def dashboard():
    """List the organisations I work for, or go straight to the only one."""
    memberships = sorted(current_user.memberships, key=lambda m: m.organisation.name)
    if len(memberships) == 1:
        return redirect(url_for("issuer.org_dashboard", slug=memberships[0].organisation.slug))
    return render_template("issuer/index.html", memberships=memberships)


def confirmed() -> bool:
    """True for the POST sent from a confirmation page (its hidden ``confirmed`` field).

    Irreversible actions take two steps: the first request (GET, or a POST from an old
    page) only shows :func:`confirm_page`; nothing is selected or done by default.
    """
    return request.method == "POST" and request.form.get("confirmed") == "1"


def confirm_page(org: Organisation, member: Membership, *, title: str, facts: list[tuple[str, str]],
                 consequence: str, button: str, cancel: str, form: Any = None,
                 status: int = 200) -> tuple[str, int]:
    """A server-side confirmation: what is lost (``facts``), why it is final, one button."""
    return render_template("issuer/confirm.html", org=org, member=member, title=title,
                           facts=facts, consequence=consequence, button=button, cancel=cancel,
                           form=form or FlaskForm(formdata=None)), status
