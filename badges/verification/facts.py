"""What a verification reads from this service's database, read in one round trip.

A credential issued here names our URLs: its issuer, the key that signed it,
its status list, its own id. Verifying it needs a few facts about those —
the issuer's keys and whether one was reported compromised, the current
version of each status list, the credential's suspension entry, what the
platform knows about the issuer, and which organisations here carry the
name the credential gives its issuer (a forger borrows a real name).
:class:`Facts` reads all of them for a
credential in one query (one row of LEFT JOINs), where the resolvers used
to ask one at a time.

The facts are also the *state* an answer depends on: :meth:`Facts.stamp`
is what ``verify_outcome.AnswerCache`` compares to tell whether a remembered answer still
holds. Anything read outside the prefetch (an unexpected URL) marks the facts
incomplete, and an incomplete answer is never remembered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, case, func, literal_column, select

from badges.credentials.verify.checks import as_list
from badges.issuing.models import Credential, SigningKey, StatusList
from badges.kernel import urls
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.organisations.names import name_key


@dataclass(frozen=True)
class KeyFact:
    public_multibase: str
    compromised: bool


@dataclass(frozen=True)
class OrgFact:
    slug: str
    name: str
    verified: bool
    brin: str | None
    kvk: str | None
    city: str | None


@dataclass(frozen=True)
class SuspensionFact:
    list_uuid: str
    purpose: str
    index: int


@dataclass
class Wanted:
    """Local things a credential names, by kind (slugs, uuids and name keys)."""

    orgs: set[str] = field(default_factory=set)
    lists: set[str] = field(default_factory=set)
    credentials: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # name_key of the issuer's name

    def __bool__(self) -> bool:
        return bool(self.orgs or self.lists or self.credentials or self.names)

    def minus(self, other: Wanted) -> Wanted:
        return Wanted(self.orgs - other.orgs, self.lists - other.lists,
                      self.credentials - other.credentials, self.names - other.names)

    def add(self, other: Wanted) -> None:
        self.orgs |= other.orgs
        self.lists |= other.lists
        self.credentials |= other.credentials
        self.names |= other.names


def _local_tail(url: Any, prefix: str) -> str | None:
    """``url`` minus ``prefix`` when it is one of our URLs of that kind, else None."""
    if not isinstance(url, str) or not url.startswith(prefix):
        return None
    tail = url[len(prefix):]
    return tail if tail and "/" not in tail and len(tail) <= 80 else None


def issuer_name(issuer: dict[str, Any]) -> str | None:
    """The issuer's name as a reader sees it (a plain string or a language map)."""
    name = issuer.get("name")
    if isinstance(name, dict):
        name = next((name[lang] for lang in ("nl", "en", "@value")
                     if isinstance(name.get(lang), str)), None)
    return name[:500] if isinstance(name, str) else None


def wanted_for(credential: dict[str, Any]) -> Wanted:
    """Our organisations, status lists and credentials that ``credential`` names."""
    wanted = Wanted()
    issuers, lists, creds = urls.issuer_id(""), urls.status_list_url(""), urls.credential_url("")
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        key = name_key(issuer_name(issuer))
        if key:
            wanted.names.add(key)
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    methods = [p.get("verificationMethod") for p in as_list(credential.get("proof"))
               if isinstance(p, dict)]
    for url in [issuer, *methods]:
        slug = _local_tail(url.split("#", 1)[0] if isinstance(url, str) else None, issuers)
        if slug:
            wanted.orgs.add(slug)
    for entry in as_list(credential.get("credentialStatus")):
        uuid = _local_tail(entry.get("statusListCredential") if isinstance(entry, dict) else None,
                           lists)
        if uuid:
            wanted.lists.add(uuid)
    uuid = _local_tail(credential.get("id"), creds)
    if uuid:
        wanted.credentials.add(uuid)
    return wanted


@lru_cache(maxsize=64)
def _facts_query(dialect: str, orgs: int, lists: int, credentials: int,
                 names: int = 0) -> Select:
    """One row: for that many organisations, lists, credentials and names, what Facts needs.

    Each thing looked up is a LEFT JOIN (by its unique slug or uuid) onto a
    one-row table, so a missing one gives NULLs rather than no row. Built
    once per shape with bound parameters (``o0``, ``l0``, ``c0``, ``n0``, ...):
    building a statement costs more than running it.
    """
    org, status_list, credential, key = (Organisation.__table__, StatusList.__table__,
                                         Credential.__table__, SigningKey.__table__)
    # An organisation's keys as one text, "kid multibase 0|1" joined by commas (no kid or
    # base58 text contains either); the separator as SQL text, since a bound one makes
    # SQLAlchemy render the statement anew on every run.
    described = (key.c.kid + " " + key.c.public_multibase + " "
                 + case((key.c.compromised_at.is_(None), "0"), else_="1"))
    joined = (func.string_agg if dialect == "postgresql" else func.group_concat)(
        described, literal_column("','"))
    source: Any = select(literal_column("1").label("one")).subquery("one")
    columns: list[Any] = []
    for i in range(orgs):
        o = org.alias(f"o{i}")
        source = source.outerjoin(o, o.c.slug == bindparam(f"o{i}"))
        columns += [o.c.name, o.c.verified, o.c.brin, o.c.kvk, o.c.city,
                    select(joined).where(key.c.organisation_id == o.c.id).scalar_subquery()]
    for i in range(lists):
        listed = status_list.alias(f"l{i}")
        source = source.outerjoin(listed, listed.c.uuid == bindparam(f"l{i}"))
        columns.append(listed.c.version)
    for i in range(credentials):
        c, suspension = credential.alias(f"c{i}"), status_list.alias(f"s{i}")
        source = source.outerjoin(c, c.c.uuid == bindparam(f"c{i}")).outerjoin(
            suspension, suspension.c.id == c.c.suspension_list_id)
        columns += [c.c.id, c.c.suspension_index, suspension.c.uuid, suspension.c.purpose,
                    suspension.c.version]
    for i in range(names):  # the slugs of every organisation with that name key
        columns.append(select((func.string_agg if dialect == "postgresql" else func.group_concat)(
            org.c.slug, literal_column("','"))).where(
                org.c.name_key == bindparam(f"n{i}")).correlate(None).scalar_subquery())
    return select(*columns).select_from(source)


class Facts:
    """The facts for one verification (or one cache check): load, then look up."""

    def __init__(self) -> None:
        self.wanted = Wanted()
        self.keys: dict[tuple[str, str], KeyFact] = {}
        self.orgs: dict[str, OrgFact | None] = {}
        self.lists: dict[str, int | None] = {}  # uuid → version
        self.suspensions: dict[str, SuspensionFact | None] = {}
        self.local_credentials: dict[str, bool] = {}  # uuid → issued here
        self.names: dict[str, tuple[str, ...]] = {}  # name key → slugs of organisations
        self.complete = True

    # loading ------------------------------------------------------------------------------
    def load(self, wanted: Wanted) -> None:
        """Read everything ``wanted`` names that is not loaded yet."""
        todo = wanted.minus(self.wanted)
        if not todo:
            return
        self.wanted.add(todo)
        orgs, lists, creds = sorted(todo.orgs), sorted(todo.lists), sorted(todo.credentials)
        names = sorted(todo.names)
        params = {f"o{i}": v for i, v in enumerate(orgs)}
        params.update({f"l{i}": v for i, v in enumerate(lists)})
        params.update({f"c{i}": v for i, v in enumerate(creds)})
        params.update({f"n{i}": v for i, v in enumerate(names)})
        # On the session's connection: Core, without the ORM's per-statement bookkeeping.
        connection = db.session.connection()
        row = iter(connection.execute(_facts_query(
            connection.dialect.name, len(orgs), len(lists), len(creds), len(names)),
            params).one())
        for slug in orgs:
            name, verified, brin, kvk, city, keys = (next(row) for _ in range(6))
            self.orgs[slug] = (None if name is None
                               else OrgFact(slug, name, bool(verified), brin, kvk, city))
            for described in (keys or "").split(","):
                if described:
                    kid, multibase, compromised = described.split(" ")
                    self.keys[(slug, kid)] = KeyFact(multibase, compromised == "1")
        for uuid in lists:
            self.lists[uuid] = next(row)
        for uuid in creds:
            found, index, list_uuid, purpose, version = (next(row) for _ in range(5))
            self.local_credentials[uuid] = found is not None
            self.suspensions[uuid] = (SuspensionFact(list_uuid, str(purpose), index)
                                      if list_uuid is not None and index is not None else None)
            if list_uuid is not None:  # the suspension list is checked too: read it now
                self.wanted.lists.add(list_uuid)
                self.lists[list_uuid] = version
        for key in names:
            self.names[key] = tuple(sorted(filter(None, (next(row) or "").split(","))))
        # A borrowed name: read the organisations it belongs to as well (their names
        # and whether they are verified go into the answer, so into the stamp).
        namesakes = {slug for key in names for slug in self.names[key]} - self.wanted.orgs
        if namesakes:
            self.load(Wanted(orgs=namesakes))

    def prepare(self, credential: dict[str, Any]) -> None:
        self.load(wanted_for(credential))

    # lookups ------------------------------------------------------------------------------
    def _read(self, wanted: Wanted) -> None:
        """Load what a lookup needs; anything the credential did not name makes the
        facts incomplete (read, but the answer is not remembered)."""
        if wanted.minus(self.wanted):
            self.complete = False
            self.load(wanted)

    def key(self, slug: str, kid: str) -> KeyFact | None:
        self._read(Wanted(orgs={slug}))
        return self.keys.get((slug, kid))

    def organisation(self, slug: str) -> OrgFact | None:
        self._read(Wanted(orgs={slug}))
        return self.orgs.get(slug)

    def list_version(self, uuid: str) -> int | None:
        self._read(Wanted(lists={uuid}))
        return self.lists.get(uuid)

    def suspension(self, uuid: str) -> SuspensionFact | None:
        self._read(Wanted(credentials={uuid}))
        return self.suspensions.get(uuid)

    def is_local_credential(self, uuid: str) -> bool:
        self._read(Wanted(credentials={uuid}))
        return self.local_credentials.get(uuid, False)

    def namesakes(self, name: str | None) -> tuple[str, ...]:
        """Slugs of the organisations here whose name reads the same as ``name``."""
        key = name_key(name)
        if not key:
            return ()
        self._read(Wanted(names={key}))
        return self.names.get(key, ())

    def stamp(self) -> tuple:
        """Everything read, in a stable order: equal stamps, equal state."""
        return (tuple(sorted(self.keys.items())), tuple(sorted(self.orgs.items())),
                tuple(sorted(self.lists.items())), tuple(sorted(self.suspensions.items())),
                tuple(sorted(self.local_credentials.items())),
                tuple(sorted(self.names.items())))
