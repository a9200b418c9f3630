"""Listing an achievement or a trajectory in the public catalogue ("Vermelding in het aanbod").

Invariants:
- An achievement's listing is keyed by its lineage (see models.listing): editing
  the achievement (a new version) never loses the listing.
- Something can only be listed with what a visitor needs to act on it: a
  sector, a format and a way to start (link, e-mail or phone).
- The sector, format, funding and language values are small fixed lists with
  plain-Dutch labels, kept here so forms, filters and pages agree.
- This service owns the transaction: ``save`` commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from badges.catalogue.achievements import InvalidAchievement
from badges.catalogue.models import Achievement, Pathway
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.listings.models import CostKind, FundingTag, Listing, ListingFormat, ListingFunding
from badges.organisations.models import Organisation

SECTORS = {
    "zorg_welzijn": _l("Zorg en welzijn"),
    "techniek": _l("Techniek en metaal"),
    "bouw": _l("Bouw en infra"),
    "ict": _l("ICT en digitaal"),
    "economie": _l("Administratie en economie"),
    "handel": _l("Handel en winkel"),
    "horeca": _l("Horeca en toerisme"),
    "logistiek": _l("Logistiek en transport"),
    "sport": _l("Sport en bewegen"),
    "onderwijs": _l("Begeleiden en opleiden"),
    "basis": _l("Taal, rekenen en digitaal meedoen"),
}
FORMATS = {
    ListingFormat.ON_SITE: _l("Op locatie"),
    ListingFormat.ONLINE: _l("Online"),
    ListingFormat.BLENDED: _l("Deels online, deels op locatie"),
    ListingFormat.WORKPLACE: _l("Op de werkplek"),
}
FUNDING = {
    FundingTag.LEERREKENING: _l("Leerrekening (opvolger STAP-budget)"),
    FundingTag.OO_FONDS: _l("Opleidingsfonds van de branche (O&O-fonds)"),
    FundingTag.GEMEENTE: _l("Gemeente"),
    FundingTag.WERKGEVER: _l("Werkgever"),
    FundingTag.UWV: _l("UWV"),
}
LANGUAGES = {"nl": _l("Nederlands"), "en": _l("Engels"), "nl-en": _l("Nederlands en Engels")}
COSTS = {CostKind.UNKNOWN: _l("Nog niet bekend"), CostKind.FREE: _l("Gratis"),
         CostKind.AMOUNT: _l("Bedrag in euro")}

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
PHONE_RE = re.compile(r"^[0-9+() -]{6,40}$")


@dataclass
class ListingInput:
    listed: bool = False
    sector: str = ""
    format: str = ""
    city: str = ""
    language: str = "nl"
    duration_weeks: int | None = None
    cost_kind: str = ""
    cost_euro: Decimal | None = None
    cost_text: str = ""
    funding: list[str] = field(default_factory=list)
    funding_text: str = ""
    start_url: str = ""
    start_email: str = ""
    start_phone: str = ""
    start_text: str = ""
    applications_open: bool = False


def _validate(data: ListingInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in ("city", "cost_text", "funding_text", "start_url", "start_email", "start_phone",
                 "start_text"):
        setattr(data, name, getattr(data, name).strip())
    if data.sector and data.sector not in SECTORS:
        errors["sector"] = _("Kies een sector uit de lijst.")
    if data.format and data.format not in {f.value for f in ListingFormat}:
        errors["format"] = _("Kies een vorm uit de lijst.")
    if data.language not in LANGUAGES:
        errors["language"] = _("Kies een taal uit de lijst.")
    if data.cost_kind not in {c.value for c in CostKind}:
        errors["cost_kind"] = _("Kies wat het kost.")
    elif data.cost_kind == CostKind.AMOUNT and (data.cost_euro is None or data.cost_euro < 0):
        errors["cost_euro"] = _("Vul het bedrag in euro in, bijv. 350.")
    if any(tag not in {t.value for t in FundingTag} for tag in data.funding):
        errors["funding"] = _("Kies de financiering uit de lijst.")
    if data.duration_weeks is not None and not 1 <= data.duration_weeks <= 520:
        errors["duration_weeks"] = _("Kies een duur tussen 1 en 520 weken.")
    if data.start_url and not URL_RE.match(data.start_url):
        errors["start_url"] = _("Een link begint met https://.")
    if data.start_email and not EMAIL_RE.match(data.start_email):
        errors["start_email"] = _("Vul een geldig e-mailadres in, bijv. info@school.nl.")
    if data.start_phone and not PHONE_RE.match(data.start_phone):
        errors["start_phone"] = _("Vul een telefoonnummer in met alleen cijfers, bijv. 0412 123 456.")
    if data.listed:
        if not data.sector:
            errors.setdefault("sector", _("Kies een sector: dan kunnen mensen het vinden."))
        if not data.format:
            errors.setdefault("format", _("Kies hoe het onderwijs gegeven wordt."))
        if not (data.start_url or data.start_email or data.start_phone):
            errors.setdefault("start_url", _("Geef een link, e-mailadres of telefoonnummer: "
                                             "zo weten mensen hoe ze kunnen beginnen."))
    return errors


def for_achievement(achievement: Achievement) -> Listing | None:
    """The listing of any version of this achievement (None if it has none)."""
    return db.session.scalar(db.select(Listing).filter_by(achievement_lineage=achievement.lineage))


def for_pathway(pathway: Pathway) -> Listing | None:
    return db.session.scalar(db.select(Listing).filter_by(pathway_id=pathway.id))


def applications_open(achievement: Achievement) -> bool:
    """Whether the issuer accepts applications for recognition of this achievement."""
    row = for_achievement(achievement)
    return bool(row and row.applications_open)


def apply_input(row: Listing, data: ListingInput) -> None:
    row.listed = data.listed
    row.sector = data.sector
    row.format = ListingFormat(data.format) if data.format else None
    row.city = data.city[:80]
    row.language = data.language
    row.duration_weeks = data.duration_weeks
    row.cost_kind = CostKind(data.cost_kind)
    row.cost_euro = data.cost_euro if row.cost_kind == CostKind.AMOUNT else None
    row.cost_text = data.cost_text[:300]
    row.funding_text = data.funding_text[:4000]
    wanted = {FundingTag(t) for t in data.funding}
    row.funding = [f for f in row.funding if f.tag in wanted] + [
        ListingFunding(tag=t) for t in sorted(wanted - set(row.funding_tags))]
    row.start_url = data.start_url[:500]
    row.start_email = data.start_email[:254]
    row.start_phone = data.start_phone[:40]
    row.start_text = data.start_text[:4000]
    row.applications_open = data.applications_open
    row.updated_at = utcnow()


def _save(org: Organisation, row: Listing, data: ListingInput, *, subject: str | int,
          actor_id: int | None) -> Listing:
    errors = _validate(data)
    if errors:
        raise InvalidAchievement(errors)
    apply_input(row, data)
    if row.id is None:
        db.session.add(row)
    db.session.flush()
    audit.record("listing.update", actor_id=actor_id, organisation_id=org.id,
                 subject_type="listing", subject_id=subject, listed=row.listed,
                 applications_open=row.applications_open)
    db.session.commit()
    return row


def save_for_achievement(achievement: Achievement, data: ListingInput, *,
                         actor_id: int | None) -> Listing:
    """Create or change the listing of an achievement (all its versions)."""
    row = for_achievement(achievement) or Listing(
        achievement_lineage=achievement.lineage, organisation_id=achievement.organisation_id)
    return _save(achievement.organisation, row, data, subject=achievement.uuid,
                 actor_id=actor_id)


def save_for_pathway(pathway: Pathway, data: ListingInput, *, actor_id: int | None) -> Listing:
    row = for_pathway(pathway) or Listing(pathway_id=pathway.id,
                                          organisation_id=pathway.organisation_id)
    return _save(pathway.organisation, row, data, subject=pathway.id, actor_id=actor_id)


def of_organisation(org: Organisation) -> dict[str, Listing]:
    """The organisation's listings by key ``a:<lineage>`` / ``p:<pathway id>``."""
    rows = db.session.scalars(db.select(Listing).filter_by(organisation_id=org.id))
    return {(f"a:{r.achievement_lineage}" if r.achievement_lineage else f"p:{r.pathway_id}"): r
            for r in rows}
