"""Who may use a route: one place for the checks every view relies on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from badges.organisations import services as organisations
from badges.organisations.models import Membership, Organisation, Role


def platform_admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_platform_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def membership(user: Any, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return organisations.membership_of(user.id, organisation)


ROLE_RANK = {Role.VIEWER: 0, Role.ISSUER: 1, Role.APPROVER: 2, Role.ADMIN: 3}


def organisation_with_role(slug: str, minimum: Role) -> tuple[Organisation, Membership]:
    """The organisation at ``slug`` (404 if none) and the current user's membership of at
    least ``minimum`` in it (403 otherwise): the guard of every ``/issuer/<slug>/…`` page."""
    org = organisations.by_slug(slug) or abort(404)
    return org, require_role(org, minimum)


def require_role(organisation: Organisation, minimum: Role) -> Membership:
    """Abort 403 unless the current user has at least ``minimum`` in ``organisation``.

    Platform admins do not get issuing rights implicitly: issuing in an
    organisation's name needs a membership of it.
    """
    member = membership(current_user, organisation)
    if member is None or ROLE_RANK[member.role] < ROLE_RANK[minimum]:
        abort(403)
    return member
