"""The Open Badges 3.0 API's use cases: the learner's credentials and profile, and the apps
the learner connected (and may disconnect).

Every query is scoped to the token's learner; a token only opens what its scopes name.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.issuing.models import Credential
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.models import utcnow
from badges.obapi import activity
from badges.obapi.models import ObActivity, ObAuthorizationCode, ObClient, ObToken
from badges.obapi.oauth import ApiRefusal
from badges.passport import importing
from badges.passport.models import ImportedCredential

MAX_LIMIT = 100
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


# --- getCredentials ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    at: datetime
    key: str
    credential: dict[str, Any] | None  # JSON-LD
    jws: str | None  # a compact JWS (VC-JWT)


def _items(user: User) -> list[_Item]:
    """The learner's OB 3.0 credentials: issued here (claimed), and imported OB 3.0 ones."""
    items = [_Item(c.issued_at, f"c{c.id:012d}", c.document, None)
             for c in db.session.scalars(db.select(Credential).filter_by(recipient_user_id=user.id))]
    for row in db.session.scalars(db.select(ImportedCredential).filter_by(user_id=user.id)):
        if row.format == "json-ld":
            document = json.loads(row.raw)
            if "https://www.w3.org/ns/credentials/v2" in (document.get("@context") or []):
                items.append(_Item(row.imported_at, f"i{row.id:012d}", document, None))
        elif row.format == "jwt":
            items.append(_Item(row.imported_at, f"i{row.id:012d}", None, row.raw))
    return sorted(items, key=lambda i: (i.at, i.key))


@dataclass(frozen=True)
class Page:
    credentials: list[dict[str, Any]]
    jws: list[str]
    total: int
    limit: int
    offset: int


def _int_arg(args: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    value = args.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ApiRefusal(400, "invalid_query_parameter",
                         f"{name} must be a whole number from {low} to {high}")
    return number


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ApiRefusal(400, "invalid_query_parameter",
                         "since must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z")
    return moment


def credentials_page(token: ObToken, args: dict[str, str]) -> Page:
    """getCredentials: ``limit`` (1–100, default 100), ``offset``, ``since`` (issued or added after)."""
    limit = _int_arg(args, "limit", MAX_LIMIT, 1, MAX_LIMIT)
    offset = _int_arg(args, "offset", 0, 0, 10**9)
    since = _since(args.get("since"))
    items = [i for i in _items(token.user) if since is None or i.at > since]
    chosen = items[offset:offset + limit]
    activity.note(token.user_id, token.client_id, "credentials_read", str(len(chosen)))
    db.session.commit()
    return Page([i.credential for i in chosen if i.credential is not None],
                [i.jws for i in chosen if i.jws is not None], len(items), limit, offset)


# --- upsertCredential -------------------------------------------------------------------------


def upsert(token: ObToken, data: str) -> bool:
    """Verify and keep a credential an app pushes, like an import; True when it is new."""
    user, client = token.user, token.client
    db.session.commit()  # the token's use; the import commits or rolls back on its own
    try:
        row, created = importing.upsert_credential(user, data)
    except importing.ImportRefused as exc:
        db.session.rollback()
        raise ApiRefusal(400, "invalid_data", exc.message) from exc
    audit.record("obapi.upsert", actor_id=user.id, subject_type="ob_client", subject_id=client.client_id,
                 imported=row.uuid if row else None, created=created)
    if row is not None:
        activity.note(user.id, client.id, "credential_added" if created else "credential_replaced", row.name)
    db.session.commit()
    return created


# --- getProfile / putProfile ------------------------------------------------------------------


def profile_id(user: User) -> str:
    """A stable id for the learner that says nothing about them (not the row id, not the email)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{urls.base_url()}/learner/{user.id}"))


def _profile(user: User) -> dict[str, Any]:
    return {"@context": [OB_CONTEXT], "id": profile_id(user), "type": "Profile", "name": user.name,
            "email": user.email}


def profile(token: ObToken) -> dict[str, Any]:
    """getProfile."""
    activity.note(token.user_id, token.client_id, "profile_read")
    db.session.commit()
    return _profile(token.user)


def update_profile(token: ObToken, body: Any) -> dict[str, Any]:
    """putProfile: the learner's name. The email address changes only in Skillspas itself,
    where the new address is confirmed first."""
    user, client = token.user, token.client
    db.session.commit()  # the token's use, even when the change is refused
    if not isinstance(body, dict):
        raise ApiRefusal(400, "invalid_data", "send the Profile as a JSON object")
    types = body.get("type")
    if types != "Profile" and not (isinstance(types, list) and "Profile" in types):
        raise ApiRefusal(400, "invalid_data", 'type must be "Profile"')
    if body.get("id") not in (None, profile_id(user)):
        raise ApiRefusal(400, "invalid_data", "id is not this learner's profile id")
    if body.get("email") not in (None, user.email):
        raise ApiRefusal(400, "invalid_data",
                         "the email address cannot change here: the learner changes it in Skillspas")
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        raise ApiRefusal(400, "invalid_data", "name is required (1 to 200 characters)")
    if name.strip() != user.name:
        user.name = name.strip()
        audit.record("obapi.profile", actor_id=user.id, subject_type="ob_client",
                     subject_id=client.client_id)
        activity.note(user.id, client.id, "profile_updated")
        db.session.commit()
    return _profile(user)


# --- the passport: connected apps -------------------------------------------------------------


@dataclass(frozen=True)
class ConnectedApp:
    client: ObClient
    scopes: list[str]
    since: datetime
    last_used: datetime | None
    recent: list[activity.Line]


def connected_apps(user_id: int) -> list[ConnectedApp]:
    """Apps that hold a live token of the learner's, with what they may do and when they last did."""
    now = utcnow()
    by_client: dict[int, list[ObToken]] = {}
    for token in db.session.scalars(db.select(ObToken).filter_by(user_id=user_id)
                                    .order_by(ObToken.issued_at)):
        by_client.setdefault(token.client_id, []).append(token)
    apps = []
    for tokens in by_client.values():
        live = [t for t in tokens if t.revoked_at is None and (
            not t.is_expired() or (t.refresh_expires_at is not None and t.refresh_expires_at > now))]
        if not live:
            continue
        used = [t.last_used_at for t in tokens if t.last_used_at is not None]
        scopes = sorted({s for t in live for s in t.scope.split()})
        client = live[0].client
        apps.append(ConnectedApp(client, scopes, tokens[0].issued_at, max(used) if used else None,
                                 activity.recent(user_id, client.id)))
    return sorted(apps, key=lambda a: a.client.name.lower())


def withdraw(user: User, client_id: str) -> bool:
    """Revoke every token the app holds for this learner (and its unused codes); False: none."""
    client = db.session.scalar(db.select(ObClient).filter_by(client_id=client_id))
    if client is None:
        return False
    now = utcnow()
    live = list(db.session.scalars(db.select(ObToken).where(
        ObToken.user_id == user.id, ObToken.client_id == client.id, ObToken.revoked_at.is_(None))
        .with_for_update()))
    for token in live:
        token.revoked_at = now
    db.session.execute(db.delete(ObAuthorizationCode).where(
        ObAuthorizationCode.user_id == user.id, ObAuthorizationCode.client_id == client.id))
    if not live:
        db.session.rollback()
        return False
    audit.record("obapi.withdraw", actor_id=user.id, subject_type="ob_client", subject_id=client.client_id)
    db.session.commit()
    return True


def scope_label(scope: str) -> str:
    """What a scope lets an app do, in the learner's language."""
    short = scope.rsplit("/", 1)[-1]
    labels = {
        "credential.readonly": _("Je bewijzen bekijken"),
        "credential.upsert": _("Bewijzen aan je pas toevoegen (we controleren ze eerst)"),
        "profile.readonly": _("Je naam en e-mailadres bekijken"),
        "profile.update": _("Je naam wijzigen"),
    }
    return labels.get(short, short)


def personal_data(user: User) -> list[dict[str, Any]]:
    """For the learner's data export: every app that had access, its tokens' dates and what it did."""
    clients = db.session.scalars(db.select(ObClient).where(ObClient.id.in_(
        db.select(ObToken.client_id).where(ObToken.user_id == user.id))).order_by(ObClient.id))
    out = []
    for client in clients:
        tokens = db.session.scalars(db.select(ObToken).filter_by(user_id=user.id, client_id=client.id)
                                    .order_by(ObToken.id))
        done = db.session.scalars(db.select(ObActivity).filter_by(user_id=user.id, client_id=client.id)
                                  .order_by(ObActivity.id))
        out.append({
            "app": client.name, "clientId": client.client_id, "clientUri": client.client_uri,
            "tokens": [{"scope": t.scope, "issuedAt": t.issued_at.isoformat(),
                        "lastUsedAt": t.last_used_at.isoformat() if t.last_used_at else None,
                        "revokedAt": t.revoked_at.isoformat() if t.revoked_at else None} for t in tokens],
            "activity": [{"at": a.at.isoformat(), "action": a.action, "detail": a.detail, "times": a.times}
                         for a in done],
        })
    return out
