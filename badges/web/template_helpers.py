"""Template globals shared by every page: navigation and Dutch labels for enums."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from badges.models import AchievementKind, OrganisationKind

KIND_LABELS = {
    OrganisationKind.COLLEGE: _l("School (mbo)"),
    OrganisationKind.EMPLOYER: _l("Werkgever"),
    OrganisationKind.BRANCH: _l("Branche of opleidingsfonds"),
    OrganisationKind.COMMUNITY: _l("Vereniging of bibliotheek"),
    OrganisationKind.MUNICIPALITY: _l("Gemeente"),
    OrganisationKind.TRAINING_PROVIDER: _l("Opleider"),
    AchievementKind.MODULE: _l("Module"),
    AchievementKind.KEUZEDEEL: _l("Keuzedeel"),
    AchievementKind.MBO_CERTIFICAAT: _l("Mbo-certificaat"),
    AchievementKind.PRAKTIJKVERKLARING: _l("Praktijkverklaring"),
    AchievementKind.DEELCERTIFICAAT: _l("Deelcertificaat"),
    AchievementKind.LLO_TRAJECT: _l("LLO-traject"),
    AchievementKind.MICROCREDENTIAL: _l("Microcredential"),
    AchievementKind.OPEN_BADGE: _l("Open badge"),
}

# (endpoint, label, who sees it). A link shows only once its blueprint exists.
NAV = [
    ("passport.index", _l("Mijn pas"), "user"),
    ("issuer.dashboard", _l("Uitgeven"), "staff"),
    ("catalogue.index", _l("Aanbod"), "all"),
    ("advisers.index", _l("Adviseren"), "adviser"),
    ("verify.page", _l("Controleren"), "all"),
]


def nav_links() -> list[tuple[str, str]]:
    links = []
    for endpoint, label, audience in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if audience == "user" and not current_user.is_authenticated:
            continue
        if audience == "staff" and not (
            current_user.is_authenticated and current_user.memberships
        ):
            continue
        if audience == "adviser" and not _is_adviser():
            continue
        links.append((endpoint, str(label)))
    return links


def _is_adviser() -> bool:
    """Signed in with at least one active adviser grant (see services.advisers)."""
    if not current_user.is_authenticated:
        return False
    from badges.services.advisers import has_active_grants

    return has_active_grants(current_user)


def kind_label(kind: object) -> str:
    return str(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nav_links=nav_links, kind_label=kind_label)
