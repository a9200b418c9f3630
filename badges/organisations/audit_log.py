"""The organisation's audit log as people read it: words for codes, paging, filters, CSV.

Audit rows store stable codes ("credential.issue"); people see a sentence in their language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from badges.accounts.models import User
from badges.kernel.audit import AuditEvent
from badges.kernel.db import db
from badges.kernel.i18n import from_local
from badges.organisations.models import Organisation

PER_PAGE = 50

ACTION_LABELS: dict[str, Any] = {
    "account.delete": _l("Account verwijderd"),
    "achievement.archive": _l("Prestatie gearchiveerd"),
    "achievement.create": _l("Prestatie gemaakt"),
    "achievement.edit": _l("Prestatie aangepast"),
    "achievement.version": _l("Nieuwe versie van prestatie"),
    "application.approve": _l("Aanvraag toegekend"),
    "application.decline": _l("Aanvraag afgewezen"),
    "application.statement_confirmed": _l("Verklaring bevestigd"),
    "application.submit": _l("Aanvraag ingediend"),
    "award.approve": _l("Toekenning goedgekeurd"),
    "award.hold": _l("Toekenning wacht op goedkeuring"),
    "award.reject": _l("Toekenning afgewezen"),
    "bulk.done": _l("Bulkupload klaar"),
    "bulk.purge": _l("Bulkupload opgeruimd"),
    "bulk.resume": _l("Bulkupload hervat"),
    "bulk.upload": _l("Bulkupload geplaatst"),
    "bulk.discard": _l("Bulkupload weggegooid"),
    "claim_code.approve": _l("Code-aanvraag goedgekeurd"),
    "claim_code.claim": _l("Bewijs opgehaald met code"),
    "claim_code.close": _l("Code gesloten"),
    "claim_code.create": _l("Code gemaakt"),
    "clr.export": _l("Overzicht (CLR) gemaakt"),
    "clr.trajectory": _l("Trajectoverzicht (CLR) gemaakt"),
    "co_issue.request": _l("Samen uitgeven gevraagd"),
    "co_issue.accept": _l("Samen uitgeven aangenomen"),
    "co_issue.decline": _l("Samen uitgeven afgewezen"),
    "co_issue.issue_alone": _l("Toch alleen uitgegeven"),
    "co_issue.cancel": _l("Samen uitgeven ingetrokken"),
    "credential.claim": _l("Bewijs opgehaald"),
    "credential.claim_by_address": _l("Bewijs opgehaald via e-mailadres"),
    "credential.claim_link": _l("Ophaallink gemaakt"),
    "credential.issue": _l("Bewijs uitgegeven"),
    "credential.revoked": _l("Bewijs ingetrokken"),
    "credential.suspended": _l("Bewijs geschorst"),
    "credential.active": _l("Bewijs weer geldig"),
    "endorsement.create": _l("Onderschrijving gegeven"),
    "endorsement.received": _l("Onderschrijving ontvangen"),
    "endorsement.revoke": _l("Onderschrijving ingetrokken"),
    "import.add": _l("Bewijs toegevoegd aan paspoort"),
    "import.remove": _l("Bewijs uit paspoort gehaald"),
    "import.replace": _l("Bewijs in paspoort vervangen"),
    "key.compromised": _l("Sleutel als gelekt gemeld"),
    "key.rotate": _l("Nieuwe ondertekensleutel"),
    "listing.update": _l("Aanbod aangepast"),
    "member.add": _l("Iemand toegevoegd"),
    "member.decline": _l("Uitnodiging afgeslagen"),
    "member.invite": _l("Uitnodiging verstuurd"),
    "member.invite_withdraw": _l("Uitnodiging ingetrokken"),
    "member.join_by_rule": _l("Aangesloten via instelling"),
    "member.remove": _l("Iemand verwijderd"),
    "member.role": _l("Rol aangepast"),
    "membership_rule.approve": _l("Inlogregel goedgekeurd"),
    "membership_rule.propose": _l("Inlogregel voorgesteld"),
    "notice.opt_out": _l("Afgemeld voor berichten"),
    "notice.sent": _l("Bericht verstuurd"),
    "oauth_client.create": _l("Koppeling gemaakt"),
    "oauth_client.revoke": _l("Koppeling ingetrokken"),
    "oauth_client.token": _l("Koppeling kreeg toegang"),
    "obapi.consent": _l("App toegang gegeven"),
    "obapi.profile": _l("Profiel via app aangepast"),
    "obapi.register": _l("App aangemeld"),
    "obapi.upsert": _l("Bewijs via app opgeslagen"),
    "obapi.withdraw": _l("App toegang ingetrokken"),
    "organisation.archive": _l("Organisatie gearchiveerd"),
    "organisation.assessor_consent": _l("Beoordelaars toegestaan"),
    "organisation.create": _l("Organisatie gemaakt"),
    "organisation.move": _l("Organisatie verplaatst"),
    "organisation.update": _l("Gegevens aangepast"),
    "organisation.verify": _l("Organisatie gecontroleerd"),
    "organisation.unverify": _l("Controle ingetrokken"),
    "organisation_request.approve": _l("Aanmelding goedgekeurd"),
    "organisation_request.decline": _l("Aanmelding afgewezen"),
    "organisation_request.submit": _l("Aanmelding ingediend"),
    "reminders.settings": _l("Herinneringen ingesteld"),
    "share.create": _l("Deellink gemaakt"),
    "share.revoke": _l("Deellink ingetrokken"),
    "token.create": _l("API-sleutel gemaakt"),
    "token.revoke": _l("API-sleutel ingetrokken"),
    "trajectory.approve": _l("Traject toegekend"),
    "trajectory.complete": _l("Traject afgerond"),
    "trajectory.create": _l("Traject gemaakt"),
    "trajectory.decline": _l("Traject afgewezen"),
    "trajectory.update": _l("Traject aangepast"),
    "user.address_confirm": _l("E-mailadres bevestigd"),
    "user.address_remove": _l("E-mailadres verwijderd"),
    "user.email_change": _l("E-mailadres gewijzigd"),
    "user.email_change_undo": _l("Wijziging e-mailadres teruggedraaid"),
    "user.email_confirm": _l("E-mailadres bevestigd"),
    "user.identity_link": _l("Inlogmethode gekoppeld"),
    "user.identity_unlink": _l("Inlogmethode ontkoppeld"),
    "user.logout_everywhere": _l("Overal uitgelogd"),
    "user.merge": _l("Accounts samengevoegd"),
    "user.password_change": _l("Wachtwoord gewijzigd"),
    "user.password_remove": _l("Wachtwoord verwijderd"),
    "user.password_reset": _l("Wachtwoord opnieuw ingesteld"),
    "user.register": _l("Account gemaakt"),
    "vcapi.issue": _l("Bewijs uitgegeven via koppeling"),
    "wallet.delivered": _l("Bewijs in wallet gezet"),
    "wallet.offer": _l("Bewijs aangeboden aan wallet"),
}

# Detail keys worth showing, in words; the rest are internal ids.
DETAIL_LABELS: dict[str, Any] = {
    "reason": _l("Reden"), "role": _l("Rol"), "name": _l("Naam"), "previous": _l("Was"),
    "note": _l("Notitie"), "filename": _l("Bestand"), "count": _l("Aantal"),
    "total": _l("Totaal"), "recipient_email": _l("Ontvanger"), "email": _l("E-mailadres"),
    "who": _l("Wie"), "scopes": _l("Rechten"), "expires": _l("Verloopt"),
    "version": _l("Versie"), "issued": _l("Uitgegeven"), "invalid": _l("Met fouten"),
    "skipped": _l("Overgeslagen"), "to": _l("Naar"), "by": _l("Door"),
}

VALUE_LABELS: dict[str, Any] = {
    "active": _l("geldig"), "suspended": _l("geschorst"), "revoked": _l("ingetrokken"),
    "viewer": _l("meekijken"), "issuer": _l("uitgeven"), "approver": _l("goedkeuren"),
    "admin": _l("beheren"),
}


def action_label(code: str) -> str:
    """The words for an action code; an unknown code reads as "Andere gebeurtenis"."""
    return str(ACTION_LABELS.get(code, _l("Andere gebeurtenis")))


def readable_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """The details people can read, as (label, value); ids and internal keys left out."""
    shown = []
    for key, value in details.items():
        if key not in DETAIL_LABELS or value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            text = ", ".join(str(VALUE_LABELS.get(str(v), v)) for v in value)
        else:
            text = str(VALUE_LABELS.get(str(value), value))
        shown.append((str(DETAIL_LABELS[key]), text))
    return shown


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def credential_key(text: str) -> str:
    """The credential's id from what an admin pastes: the id itself, or a link that holds it
    (its page, the verify link, the issuer's page of it); other text as it was typed."""
    found = _UUID.search(text or "")
    return found.group(0).lower() if found else (text or "").strip()


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked for; days are Dutch calendar days, both ends included."""

    action: str = ""
    person: int | None = None
    credential: str = ""
    since: date | None = None
    until: date | None = None


def _query(org: Organisation, f: AuditFilter) -> Select[Any]:
    query = db.select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_user_id) \
        .where(AuditEvent.organisation_id == org.id)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.person is not None:
        query = query.where(AuditEvent.actor_user_id == f.person)
    if f.credential:
        query = query.where(AuditEvent.subject_type == "credential",
                            AuditEvent.subject_id == f.credential.strip())
    if f.since:
        query = query.where(AuditEvent.created_at >= from_local(datetime.combine(f.since, time())))
    if f.until:
        query = query.where(AuditEvent.created_at < from_local(
            datetime.combine(f.until + timedelta(days=1), time())))
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class Page:
    """One page of events; ``items`` are ``(event, actor or None)``."""

    items: list[Any]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_of(org: Organisation, f: AuditFilter, page: int) -> Page:
    """One page of matching events, newest first; a page past the end is empty."""
    query, page = _query(org, f), max(page, 1)
    total = db.session.scalar(db.select(db.func.count()).select_from(
        query.order_by(None).subquery())) or 0
    items = list(db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return Page(items, page, total)


def all_of(org: Organisation, f: AuditFilter) -> Iterator[tuple[AuditEvent, User | None]]:
    """Every matching event for the CSV export, streamed in chunks."""
    for row in db.session.execute(_query(org, f).execution_options(yield_per=500)):
        yield row[0], row[1]


def actions_in(org: Organisation) -> list[tuple[str, str]]:
    """(code, words) of the actions in ``org``'s log, for the filter, sorted by the words."""
    codes = db.session.scalars(db.select(AuditEvent.action).filter_by(
        organisation_id=org.id).distinct())
    return sorted(((c, action_label(c)) for c in codes), key=lambda pair: pair[1].lower())


def people_in(org: Organisation) -> list[User]:
    """The people who acted in ``org``'s log, for the filter."""
    ids = db.select(AuditEvent.actor_user_id).filter_by(organisation_id=org.id).distinct()
    return list(db.session.scalars(db.select(User).where(User.id.in_(ids)).order_by(User.name)))
