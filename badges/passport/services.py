"""The learner's passport: what they hold, its status, and the skills it shows.

Invariants: every query here is scoped to one user id, so a view that passes
``current_user.id`` can never show another learner's credentials. The list
page takes status from database columns (state, valid_until; the stored
verdict for imports); cryptographic verification happens on the detail page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import joinedload

from badges.catalogue.models import Achievement, Skill, achievement_skill
from badges.issuing.models import Credential, CredentialState
from badges.kernel.db import db
from badges.kernel.i18n import current_language
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation
from badges.passport.models import ImportedCredential

# status key → (Dutch label, icon, css modifier). Text + icon + colour, never colour alone.
STATUS = {
    "valid": ("Geldig", "✓", "ok"),
    "expired": ("Verlopen", "◷", "warn"),
    "revoked": ("Ingetrokken", "✕", "bad"),
    "suspended": ("Geschorst", "‖", "warn"),
    "not_yet_valid": ("Nog niet geldig", "◷", "warn"),
    "checked": ("Gecontroleerd", "✓", "ok"),
    "unconfirmed": ("Niet te bevestigen", "?", "warn"),
}


def status_of(state: CredentialState, valid_from: datetime, valid_until: datetime | None,
              now: datetime) -> str:
    """From DB columns only: state first, then the validity window."""
    if state == CredentialState.REVOKED:
        return "revoked"
    if state == CredentialState.SUSPENDED:
        return "suspended"
    if valid_until is not None and valid_until < now:
        return "expired"
    if valid_from > now:
        return "not_yet_valid"
    return "valid"


def credential_status(cred: Credential, now: datetime | None = None) -> str:
    return status_of(cred.state, cred.valid_from, cred.valid_until, now or utcnow())


def imported_status(verdict: str) -> str:
    """An import is "gecontroleerd" only for an unqualified valid verdict."""
    if verdict == "valid":
        return "checked"
    if verdict in {"revoked", "suspended", "expired", "not_yet_valid"}:
        return verdict
    return "unconfirmed"


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def date_text(value: datetime | None) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


@dataclass
class Card:
    """One entry on the passport page, ours or imported (plain values: cheap to render)."""

    uuid: str
    imported: bool
    name: str
    issuer_name: str
    issuer_key: str  # filter value: org slug, or the imported issuer id
    kind: str  # AchievementKind value, or "imported"
    date: datetime | None
    status: str
    achievement_uuid: str = ""

    @property
    def date_text(self) -> str:
        return date_text(self.date)


def _own_cards(user_id: int, now: datetime) -> list[Card]:
    """One flat query (no ORM entities): the list page of 300 cards stays fast."""
    rows = db.session.execute(
        db.select(Credential.uuid, Credential.valid_from, Credential.valid_until,
                  Credential.state, Achievement.uuid, Achievement.name, Achievement.name_en,
                  Achievement.kind,
                  Organisation.slug, Organisation.name)
        .join(Achievement, Credential.achievement_id == Achievement.id)
        .join(Organisation, Credential.organisation_id == Organisation.id)
        .where(Credential.recipient_user_id == user_id)
    )
    english = current_language() == "en"  # Dutch when there is no English name
    return [Card(uuid=uuid, imported=False, name=(english and name_en) or name,
                 issuer_name=org_name, issuer_key=slug,
                 kind=kind.value, date=start, status=status_of(state, start, until, now),
                 achievement_uuid=a_uuid)
            for uuid, start, until, state, a_uuid, name, name_en, kind, slug, org_name in rows]


def _imported_cards(user_id: int) -> list[Card]:
    rows = db.session.execute(
        db.select(ImportedCredential.uuid, ImportedCredential.name, ImportedCredential.issuer_name,
                  ImportedCredential.issuer_id, ImportedCredential.issued_on,
                  ImportedCredential.imported_at, ImportedCredential.verdict)
        .where(ImportedCredential.user_id == user_id)
    )
    return [Card(uuid=uuid, imported=True, name=name or "Badge",
                 issuer_name=issuer_name or issuer_id or "Onbekende uitgever",
                 issuer_key=issuer_id or issuer_name, kind="imported",
                 date=issued_on or imported_at, status=imported_status(verdict))
            for uuid, name, issuer_name, issuer_id, issued_on, imported_at, verdict in rows]


def cards(user_id: int) -> list[Card]:
    """All of a learner's credentials as cards, newest first."""
    now = utcnow()
    result = _own_cards(user_id, now) + _imported_cards(user_id)
    epoch = datetime.min.replace(tzinfo=now.tzinfo)
    result.sort(key=lambda c: (c.date or epoch, c.uuid), reverse=True)
    return result


def filter_cards(all_cards: list[Card], kind: str = "", issuer: str = "") -> list[Card]:
    return [c for c in all_cards
            if (not kind or c.kind == kind) and (not issuer or c.issuer_key == issuer)]


def own_credential(user_id: int, uuid: str) -> Credential | None:
    """One credential, only if this user holds it (None otherwise: the view says 404)."""
    return db.session.scalar(
        db.select(Credential).where(Credential.uuid == uuid,
                                    Credential.recipient_user_id == user_id)
        .options(joinedload(Credential.achievement).selectinload(Achievement.skills),
                 joinedload(Credential.organisation))
    )


def own_import(user_id: int, uuid: str) -> ImportedCredential | None:
    return db.session.scalar(db.select(ImportedCredential).where(
        ImportedCredential.uuid == uuid, ImportedCredential.user_id == user_id))


# --- skills overview ---------------------------------------------------------

OTHER_GROUP = "Andere vaardigheden"


@dataclass
class SkillSource:
    name: str
    url_args: dict[str, str]  # for url_for: {"uuid": ...} + which endpoint
    endpoint: str


@dataclass
class SkillEntry:
    label: str
    framework: str = ""
    code: str = ""
    sources: list[SkillSource] = field(default_factory=list)
    skill_id: int | None = None  # a skill known here: its page /skills/<id>


def skills_overview(user_id: int) -> list[tuple[str, list[SkillEntry]]]:
    """Skills from every credential that counts now, grouped by Skill.group.

    Our credentials give their achievement's Skill rows (only when the
    credential is geldig: an expired or revoked one shows nothing to an
    employer). Imports give their alignments, unless the last check said
    revoked/expired; their group comes from a matching Skill row, if any.
    """
    now = utcnow()
    entries: dict[str, SkillEntry] = {}
    groups: dict[str, str] = {}
    rows = db.session.execute(
        db.select(Credential.uuid, Credential.state, Credential.valid_from,
                  Credential.valid_until, Achievement.id, Achievement.name, Achievement.name_en)
        .join(Achievement, Credential.achievement_id == Achievement.id)
        .where(Credential.recipient_user_id == user_id)
        .order_by(Credential.valid_from.desc())
    ).all()
    english = current_language() == "en"  # names in the reader's language, Dutch otherwise
    counting = [(uuid, a_id, (english and name_en) or a_name)
                for uuid, state, start, until, a_id, a_name, name_en in rows
                if status_of(state, start, until, now) == "valid"]
    skills_of: dict[int, list[Skill]] = {}
    for a_id, skill in db.session.execute(
            db.select(achievement_skill.c.achievement_id, Skill)
            .join(Skill, Skill.id == achievement_skill.c.skill_id)
            .where(achievement_skill.c.achievement_id.in_({a for _u, a, _n in counting}))):
        skills_of.setdefault(a_id, []).append(skill)
    for uuid, a_id, a_name in counting:
        source = SkillSource(a_name, {"uuid": uuid}, "passport.detail")
        for skill in skills_of.get(a_id, []):
            entry = entries.setdefault(skill.label.lower(), SkillEntry(
                skill.shown_label, skill.framework, skill.code, skill_id=skill.id))
            groups.setdefault(skill.label.lower(), skill.group or OTHER_GROUP)
            entry.sources.append(source)
    known = {s.label.lower(): s for s in db.session.scalars(db.select(Skill))}
    by_code = {(s.framework, s.code): s for s in known.values() if s.code}
    for imp in db.session.scalars(db.select(ImportedCredential).where(
            ImportedCredential.user_id == user_id)):
        if imported_status(imp.verdict) not in {"checked", "unconfirmed"}:
            continue
        source = SkillSource(imp.name or "Badge", {"uuid": imp.uuid}, "passport.imported")
        for item in (imp.report.get("credential") or {}).get("skills") or []:
            label = (item.get("name") or "").strip()
            if not label:
                continue
            match = known.get(label.lower()) or by_code.get(
                (item.get("framework") or "", item.get("code") or ""))
            key = (match.label if match else label).lower()
            entry = entries.setdefault(key, SkillEntry(
                match.shown_label if match else label, item.get("framework") or "",
                item.get("code") or "", skill_id=match.id if match else None))
            groups.setdefault(key, match.group if match and match.group else OTHER_GROUP)
            if all(s.url_args != source.url_args for s in entry.sources):
                entry.sources.append(source)
    grouped: dict[str, list[SkillEntry]] = {}
    for key, entry in entries.items():
        grouped.setdefault(groups[key], []).append(entry)
    ordered = sorted(grouped.items(), key=lambda g: (g[0] == OTHER_GROUP, g[0]))
    return [(name, sorted(items, key=lambda e: e.label)) for name, items in ordered]

