"""Dutch labels (translated on display) for kinds of organisation and achievement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from badges.catalogue.models import AchievementKind
from badges.organisations.models import OrganisationKind

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


def kind_label(kind: object) -> str:
    return str(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]
