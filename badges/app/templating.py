"""Template globals shared by every page: navigation and Dutch labels for enums."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from badges.catalogue.labels import kind_label
from badges.kernel import i18n
from badges.verification import wording

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
    from badges.applications.advisers import has_active_grants

    return has_active_grants(current_user)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(nav_links=nav_links, kind_label=kind_label,
                                 verdict_sentence=wording.sentence,
                                 verdict_detail=wording.detail,
                                 verdict_reason=wording.reason)
    app.jinja_env.filters["achievement_type"] = wording.achievement_type  # ext:X → words
    app.jinja_env.filters["result_status"] = wording.result_status  # Completed → afgerond
    app.jinja_env.filters["dates_in_words"] = wording.dates_in_words  # in a check's message
    app.jinja_env.filters["long_date"] = wording.long_date  # "4 december 2026" / "December 4, 2026"
    app.jinja_env.filters["local"] = i18n.local  # stored UTC → Dutch local time
