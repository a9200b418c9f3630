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

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from badges.extensions import db
from badges.models import AchievementState, Credential, Membership, Organisation, Role
from badges.services import achievements, endorsements, members
from badges.web.permissions import ROLE_RANK, organisation_with_role

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
    row = db.session.scalar(db.select(model).filter_by(organisation_id=org.id, **filters))
    return row or abort(404)


ROLE_LABELS = {Role.VIEWER: _l("meekijken"), Role.ISSUER: _l("uitgeven"),
               Role.ADMIN: _l("beheren")}
STATE_LABELS = {AchievementState.DRAFT: _l("concept"),
                AchievementState.PUBLISHED: _l("gepubliceerd"),
                AchievementState.ARCHIVED: _l("gearchiveerd")}


@bp.app_context_processor
def _public_helpers() -> dict[str, Any]:
    """For public pages too: the standing endorsements of an achievement."""
    return {"endorsements_of": endorsements.of_achievement}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"issuer_can": can, "Role": Role, "has_endpoint": lambda e: e in current_app.view_functions,
            "role_label": lambda r: str(ROLE_LABELS.get(r, r)),
            "state_label": lambda s: str(STATE_LABELS.get(s, s))}


@bp.get("/")
@login_required
def dashboard():
    """List the organisations I work for, or go straight to the only one."""
    memberships = sorted(current_user.memberships, key=lambda m: m.organisation.name)
    if len(memberships) == 1:
        return redirect(url_for("issuer.org_dashboard", slug=memberships[0].organisation.slug))
    return render_template("issuer/index.html", memberships=memberships)


@org_route("/", Role.VIEWER)
def org_dashboard(org: Organisation, member: Membership):
    """Show recent credentials, achievements and people of one organisation."""
    recent = db.session.scalars(
        db.select(Credential).filter_by(organisation_id=org.id, imported=False)
        .order_by(Credential.issued_at.desc()).limit(8)).all()
    return render_template("issuer/dashboard.html", org=org, member=member, recent=recent,
                           achievements=achievements.current_of(org),
                           people=members.members_of(org))


# The other views register themselves on ``bp`` (kept in small modules by topic).
from badges.web.issuer import (  # noqa: E402, F401
    achievement_views,
    credential_views,
    listing_views,
    organisation_views,
    trajectory_views,
)
