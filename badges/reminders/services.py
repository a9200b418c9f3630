"""Sending what is due, each notice once, however many machines run the tick.

A tick first *claims* the notices it will send: one ``notice_sent`` row per credential and
kind, inserted with ON CONFLICT DO NOTHING and RETURNING. Two ticks at the same moment (cron
on every machine) each get only the rows they inserted, so no notice goes out twice. The
claims commit before any mail is sent; a tick that dies between the two leaves rows in
"sending" (reported by ``pending_count``), never a double mail.

Only what fell due in the last ``CATCH_UP_DAYS`` is sent: a tick that did not run for a few
days catches up, but turning reminders on never mails years of old credentials at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, select

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.issuing import claim_links
from badges.issuing.models import Credential, CredentialState
from badges.kernel import audit, urls
from badges.kernel.database import upsert_insert
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput
from badges.kernel.i18n import local
from badges.kernel.mail import Mail, recipient_language, send_mails, writing_in
from badges.kernel.models import utcnow
from badges.kernel.tokens import TokenError, make_link_token, read_link_token
from badges.organisations.mailing import branding
from badges.organisations.models import Organisation
from badges.reminders.models import CLAIM, EXPIRY, KINDS, NoticeOptOut, NoticeSent, ReminderSettings

CATCH_UP_DAYS = 14
OPT_OUT_PURPOSE = "notice-opt-out"
OPT_OUT_MAX_AGE = 2 * 365 * 24 * 60 * 60
DEFAULT_CLAIM_DAYS, DEFAULT_EXPIRY_DAYS = "7, 21", "60, 14"


def parse_days(text: str, *, most: int) -> list[int]:
    """ "7, 21" → [7, 21]: whole days from 1 to 3650, at most ``most`` of them."""
    try:
        days = sorted({int(part) for part in (text or "").replace(";", ",").split(",") if part.strip()})
    except ValueError as exc:
        raise ValueError("whole numbers of days, separated by commas") from exc
    if any(not 1 <= d <= 3650 for d in days) or len(days) > most:
        raise ValueError(f"at most {most} numbers from 1 to 3650")
    return days


def settings_of(org: Organisation) -> ReminderSettings:
    return db.session.get(ReminderSettings, org.id) or ReminderSettings(
        organisation_id=org.id, claim_days=DEFAULT_CLAIM_DAYS, expiry_days=DEFAULT_EXPIRY_DAYS,
        renew_text="")


def save_settings(org: Organisation, *, claim_days: str, expiry_days: str, renew_text: str,
                  actor_id: int) -> ReminderSettings:
    errors = {}
    try:
        claim = parse_days(claim_days, most=2)
    except ValueError:
        errors["claim_days"] = _("Vul hoogstens twee aantallen dagen in, zoals 7, 21 (of laat leeg: "
                                 "geen herinneringen).")
    try:
        expiry = parse_days(expiry_days, most=3)
    except ValueError:
        errors["expiry_days"] = _("Vul hoogstens drie aantallen dagen in, zoals 60, 14 (of laat leeg).")
    if errors:
        raise InvalidInput(errors)
    row = db.session.get(ReminderSettings, org.id) or ReminderSettings(organisation_id=org.id)
    row.claim_days = ", ".join(map(str, claim))
    row.expiry_days = ", ".join(map(str, sorted(expiry, reverse=True)))
    row.renew_text = renew_text.strip()[:500]
    db.session.add(row)
    audit.record("reminders.settings", actor_id=actor_id, organisation_id=org.id,
                 claim_days=row.claim_days, expiry_days=row.expiry_days)
    db.session.commit()
    return row


@dataclass
class Due:
    credential: Credential
    kind: str  # "claim:7", "expiry:14"
    email: str
    also_skip: tuple[str, ...] = ()  # larger expiry windows passed at the same time


def _opted_out(kind: str) -> set[str]:
    return set(db.session.scalars(select(NoticeOptOut.email).where(NoticeOptOut.kind == kind)))


def _not_sent(kind: str) -> ColumnElement[bool]:
    return ~exists().where(NoticeSent.credential_id == Credential.id, NoticeSent.kind == kind)


def _due(now: datetime, limit: int) -> list[Due]:
    found: list[Due] = []
    settings = {s.organisation_id: s for s in db.session.scalars(select(ReminderSettings))}
    for org_id in db.session.scalars(select(Organisation.id)):
        chosen = settings.get(org_id)
        claim_days = chosen.claim_days if chosen else DEFAULT_CLAIM_DAYS
        expiry_days = chosen.expiry_days if chosen else DEFAULT_EXPIRY_DAYS
        for days in parse_days(claim_days, most=2):
            kind = f"{CLAIM}:{days}"
            rows = db.session.scalars(select(Credential).where(
                Credential.organisation_id == org_id, Credential.state == CredentialState.ACTIVE,
                Credential.recipient_user_id.is_(None), Credential.claimed_at.is_(None),
                Credential.claim_token_hash.is_not(None), Credential.recipient_email.is_not(None),
                Credential.issued_at <= now - timedelta(days=days),
                Credential.issued_at > now - timedelta(days=days + CATCH_UP_DAYS),
                _not_sent(kind)).limit(limit))
            found += [Due(c, kind, c.recipient_email or "") for c in rows]
        windows = sorted(parse_days(expiry_days, most=3))
        for i, days in enumerate(windows):
            kind = f"{EXPIRY}:{days}"
            smaller = windows[i - 1] if i else 0
            rows = db.session.scalars(select(Credential).where(
                Credential.organisation_id == org_id, Credential.state == CredentialState.ACTIVE,
                Credential.recipient_user_id.is_not(None), Credential.valid_until.is_not(None),
                Credential.valid_until > now + timedelta(days=smaller),
                Credential.valid_until <= now + timedelta(days=days),
                _not_sent(kind)).limit(limit))
            larger = tuple(f"{EXPIRY}:{d}" for d in windows[i + 1:])
            found += [Due(c, kind, "", larger) for c in rows]
        if len(found) >= limit:
            break
    return found[:limit]


def _claim_rows(items: list[Due], state: str = "sending") -> set[tuple[int, str]]:
    """Insert the notices; return (credential id, kind) of those this tick inserted."""
    if not items:
        return set()
    insert = upsert_insert(db.session)
    now = utcnow()
    rows = [{"credential_id": d.credential.id, "kind": d.kind, "state": state, "created_at": now}
            for d in items]
    rows += [{"credential_id": d.credential.id, "kind": k, "state": "skipped", "created_at": now}
             for d in items for k in d.also_skip]
    mine: set[tuple[int, str]] = set()
    table = NoticeSent.__table__
    for start in range(0, len(rows), 500):
        statement = insert(table).values(rows[start:start + 500]).on_conflict_do_nothing(
            index_elements=["credential_id", "kind"]).returning(table.c.id, table.c.credential_id,
                                                                table.c.kind, table.c.state)
        mine |= {(cid, kind) for _, cid, kind, inserted in db.session.execute(statement)
                 if inserted == state}
    db.session.commit()
    return mine


def opt_out_url(email: str, kind: str) -> str:
    token = make_link_token(OPT_OUT_PURPOSE, {"e": email, "k": kind})
    return f"{urls.base_url()}/herinneringen/uit/{token}"


def read_opt_out(token: str) -> tuple[str, str] | None:
    try:
        data = read_link_token(OPT_OUT_PURPOSE, token, OPT_OUT_MAX_AGE)
    except TokenError:
        return None
    email, kind = data.get("e"), data.get("k")
    return (email, kind) if isinstance(email, str) and kind in KINDS else None


def opt_out(email: str, kind: str) -> None:
    if db.session.scalar(select(NoticeOptOut).filter_by(email=email, kind=kind)) is None:
        db.session.add(NoticeOptOut(email=email, kind=kind))
        audit.record("notice.opt_out", kind=kind)
        db.session.commit()


def _mail(due: Due, lang: str) -> Mail:
    cred = due.credential
    achievement: Achievement = cred.achievement
    badge = achievement.in_language("name", lang)
    org: Organisation = cred.organisation
    kind = due.kind.split(":")[0]
    stop = _("Geen herinneringen meer van deze soort? %(link)s", link=opt_out_url(due.email, kind))
    if kind == CLAIM:
        # A new link, valid for the full period again; earlier links stop working.
        link = f"{urls.base_url()}/claim/{claim_links.new_token(cred)}"
        return Mail(to=due.email, subject=_("Je bewijs '%(badge)s' staat nog klaar", badge=badge),
                    text=_("Hallo %(name)s,\n\n%(org)s heeft je een digitaal bewijs gegeven voor "
                           "'%(badge)s'. Je hebt het nog niet in je Skillspas gezet. Dat kan met deze "
                           "link (eerdere links werken niet meer):\n%(link)s",
                           name=cred.recipient_name or "", org=org.name, badge=badge,
                           link=link) + "\n\n" + stop,
                    sender=org.name, branding=branding(org), lang=lang,
                    reason=_("Je krijgt deze mail omdat %(org)s dit bewijs aan dit adres gaf.",
                             org=org.name))
    settings = settings_of(org)
    renew = settings.renew_text or _("Vraag %(org)s hoe je het verlengt.", org=org.name)
    passport = f"{urls.base_url()}/passport"
    return Mail(to=due.email, subject=_("Je bewijs '%(badge)s' verloopt op %(day)s", badge=badge,
                                        day=local(cred.valid_until, "%d-%m-%Y")),
                text=_("Hallo %(name)s,\n\nJe bewijs '%(badge)s' van %(org)s is geldig tot %(day)s. "
                       "%(renew)s\n\nBekijk het in je Skillspas: %(link)s",
                       name=cred.recipient_name or "", badge=badge, org=org.name,
                       day=local(cred.valid_until, "%d-%m-%Y"), renew=renew,
                       link=passport) + "\n\n" + stop,
                sender=org.name, branding=branding(org), lang=lang,
                reason=_("Je krijgt deze mail omdat dit bewijs in jouw Skillspas staat."))


def tick(now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due now; return how many of each kind went out (and were skipped)."""
    now = now or utcnow()
    due = _due(now, limit)
    langs: dict[int, str | None] = {}
    for item in due:
        owner = (db.session.get(User, item.credential.recipient_user_id)
                 if item.credential.recipient_user_id else None)
        langs[item.credential.id] = owner.locale if owner is not None else None
        if item.kind.startswith(EXPIRY):
            item.email = owner.email if owner is not None else ""
    opted = {kind: _opted_out(kind) for kind in KINDS}
    skipped = [d for d in due if not d.email or d.email in opted[d.kind.split(":")[0]]]
    sending = [d for d in due if d not in skipped]
    mine = _claim_rows(sending)
    _claim_rows(skipped, state="skipped")  # opted out or no address: never looked at again
    ours = [d for d in sending if (d.credential.id, d.kind) in mine]
    mails = []
    for d in ours:
        # The owner's own language when the credential is in a passport; else the default.
        wanted = langs[d.credential.id] or current_app.config["BADGES"]["DEFAULT_LOCALE"]
        with writing_in(recipient_language(wanted)) as lang:
            mails.append(_mail(d, lang))
    db.session.commit()  # the new claim links, before the mails that carry them
    send_mails(mails)
    for item in ours:
        db.session.execute(NoticeSent.__table__.update().where(
            NoticeSent.credential_id == item.credential.id, NoticeSent.kind == item.kind)
            .values(state="sent", sent_at=utcnow()))
        audit.record("notice.sent", organisation_id=item.credential.organisation_id,
                     subject_type="credential", subject_id=item.credential.uuid, kind=item.kind)
    db.session.commit()
    return {"claim": sum(d.kind.startswith(CLAIM) for d in ours),
            "expiry": sum(d.kind.startswith(EXPIRY) for d in ours), "skipped": len(skipped)}


def pending_count() -> int:
    """Notices claimed but never marked sent (a tick died in between)."""
    return len(list(db.session.scalars(select(NoticeSent.id).where(NoticeSent.state == "sending"))))
