"""Merge two passports: everything of account B moves to account A, then B closes.

The learner is signed in as A and proves B (its password). Every column in
the schema that points at a user is moved from B to A: credentials, imports,
share links, applications, adviser grants (both sides), trajectory awards,
memberships, linked sign-ins, extra addresses, audit actors. It walks the
schema instead of naming tables, so a feature added later moves along without
a change here (tests/web/test_merge_passports.py checks every such column).
Where A already has the same thing (a membership of the same organisation,
the same imported credential), A's copy stays and B's goes. B's own address
becomes a confirmed extra address of A, so credentials for it still arrive.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import (
    Column,
    Table,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    select,
    update,
)

from badges.accounts import services as accounts
from badges.accounts.models import EmailAddress, User
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.mail import SERVICE, Mail, recipient_language, send_mail, writing_in
from badges.kernel.tokens import TokenError, make_link_token, read_link_token

MERGE_LINK_MAX_AGE = 60 * 60  # one hour


def user_columns() -> list[tuple[Table, Column]]:
    """Every (table, column) with a foreign key to the user table, except the user table's own."""
    users = User.__table__
    found = []
    for table in db.metadata.sorted_tables:
        if table is users:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is users:
                found.append((table, fk.parent))
    return found


def _drop_duplicates(table: Table, column: Column, into: int, source: int) -> None:
    """Rows of B that would collide with A's on a unique constraint that includes ``column``."""
    uniques = [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    uniques += [list(i.columns) for i in table.indexes if i.unique]
    for columns in uniques:
        if column not in columns or len(columns) < 2:
            continue
        twin = table.alias("twin")
        same = and_(*(twin.c[c.name] == table.c[c.name] for c in columns if c is not column))
        db.session.execute(delete(table).where(
            column == source, exists().where(twin.c[column.name] == into, same)))


def merge(into: User, email: str, password: str, source_address: str) -> User:
    """Move passport B (``email`` + ``password``) into ``into`` and close B; returns ``into``."""
    other = accounts.authenticate(email, password, source_address)
    if other is None:
        raise ServiceError(_("Dit e-mailadres en wachtwoord horen niet bij een pas. Heb je het "
                             "vaak geprobeerd? Wacht dan even."), field="password")
    if other.id == into.id:
        raise ServiceError(_("Dit is de pas waarmee je nu bent ingelogd."), field="email")
    if other.is_platform_admin or into.is_platform_admin:
        raise ServiceError(_("Een account van het platformbeheer kun je niet samenvoegen."),
                           field="email")
    return _move(into, other)


def _mergeable(into: User, other: User | None) -> bool:
    return (other is not None and other.id != into.id and other.email_confirmed
            and not other.is_platform_admin and not into.is_platform_admin)


def request_merge_link(into: User, email: str) -> None:
    """Mail the other passport's (confirmed) address a link that proves it; silent otherwise.

    For a passport without a password (one started with eduID). The answer is the
    same whether or not the address has a passport.
    """
    other = accounts.find_user_by_email(email)
    if other is None or not _mergeable(into, other):
        return
    token = make_link_token("merge", {"a": into.id, "b": other.id, "email": other.email})
    with writing_in(recipient_language(other.locale, on_page=True)) as lang:
        send_mail(Mail(
            to=other.email, lang=lang, sender=SERVICE,
            subject=_("Twee passen samenvoegen?"),
            text=_("Hallo %(name)s,\n\nIemand die is ingelogd met de pas van %(into)s wil jouw "
                   "pas (%(email)s) daarmee samenvoegen. Alles uit jouw pas gaat dan naar die pas, "
                   "en jouw pas verdwijnt.\n\nWas jij dat? Open dan deze link terwijl je met die "
                   "andere pas bent ingelogd. De link is een uur geldig:\n\n%(link)s\n\n"
                   "Was jij dit niet? Dan hoef je niets te doen.",
                   name=other.name, into=into.email, email=other.email,
                   link=url_for("auth.merge_confirm", token=token, _external=True)),
            reason=_("Je krijgt deze mail omdat iemand jouw Skillspas met een andere pas wil "
                     "samenvoegen."),
        ))


def other_for_link(into: User, token: str) -> User:
    """The passport the mailed link proves, for ``into`` only (signed in as A)."""
    data = read_link_token("merge", token, MERGE_LINK_MAX_AGE)
    other = db.session.get(User, data.get("b"))
    if data.get("a") != into.id or other is None or other.email != data.get("email") \
            or not _mergeable(into, other):
        raise TokenError("invalid")  # someone else's link, or already merged
    return other


def merge_by_link(into: User, token: str) -> User:
    return _move(into, other_for_link(into, token))


def _move(into: User, other: User) -> User:
    a, b = into.id, other.id
    old_email, confirmed_at = other.email, other.email_confirmed_at
    moved = {}
    for table, column in user_columns():
        _drop_duplicates(table, column, a, b)
        count = db.session.scalar(select(func.count()).select_from(table).where(column == b))
        if count:
            db.session.execute(update(table).where(column == b).values({column.name: a}))
            moved[f"{table.name}.{column.name}"] = count
    db.session.expunge(other)
    db.session.execute(delete(User.__table__).where(User.__table__.c.id == b))
    db.session.flush()
    if confirmed_at is not None:  # B's address proved: A keeps receiving what is sent to it
        db.session.add(EmailAddress(user_id=a, email=old_email, label="private",
                                    confirmed_at=confirmed_at))
    db.session.expire(into)
    audit.record("user.merge", actor_id=a, subject_type="user", subject_id=a,
                 merged_user_id=b, moved=moved)
    db.session.commit()
    return into
