"""Each role's own start page after signing in (accounts asks through ``start.start_page``).

Most powerful role first: the platform admin's page, then the workspace for
those who issue or manage there, then the learners who gave an adviser access
(an adviser often only reads in an organisation), then the workspace for readers,
and else the passport, which every account has.
"""

from __future__ import annotations

from flask import url_for

from badges.accounts.models import User


def start_page(user: User) -> str:
    from badges.applications.advisers import has_active_grants
    from badges.organisations.models import Role

    if user.is_platform_admin:
        return url_for("admin.index")
    if any(m.role != Role.VIEWER for m in user.memberships):
        return url_for("issuer.dashboard")
    if has_active_grants(user):
        return url_for("advisers.index")
    if user.memberships:
        return url_for("issuer.dashboard")
    return url_for("passport.index")
