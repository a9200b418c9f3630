"""The issuer workspace's front page for one organisation: recent credentials, achievements, people."""

from __future__ import annotations

from typing import Any

from flask import render_template

from badges.catalogue import achievements
from badges.issuing import endorsements, records
from badges.organisations import members
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import bp, org_route


@bp.app_context_processor
def _public_helpers() -> dict[str, Any]:
    """For public pages too: the standing endorsements of an achievement."""
    return {"endorsements_of": endorsements.of_achievement}



@org_route("/", Role.VIEWER)
def org_dashboard(org: Organisation, member: Membership):
    """Show recent credentials, achievements and people of one organisation."""
    return render_template("issuer/dashboard.html", org=org, member=member,
                           recent=records.recent_of(org),
                           achievements=achievements.current_of(org),
                           people=members.members_of(org))

