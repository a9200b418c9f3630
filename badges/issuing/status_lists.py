"""Bitstring Status List bookkeeping: allocation, flipping bits, publishing.

Allocation never hands out one index twice: the list row is locked
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with
``BEGIN IMMEDIATE``), its counter advanced, and the indexes taken from a
fixed permutation of the counter, so neighbouring credentials do not sit
in neighbouring bits (herd privacy). A unique constraint on
(list, index) in ``credential`` is the last line of defence.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, cast

from badges.credentials import data_integrity, status_list
from badges.issuing import keystore
from badges.issuing.models import StatusList, StatusPurpose
from badges.kernel import urls
from badges.kernel.db import db
from badges.organisations.models import Organisation

LIST_SIZE = status_list.STATUS_LIST_SIZE


def _new_list(org: Organisation, purpose: StatusPurpose) -> StatusList:
    row = StatusList(
        organisation_id=org.id,
        purpose=purpose,
        size=LIST_SIZE,
        bits=bytes(LIST_SIZE // 8),
        perm_a=secrets.randbelow(LIST_SIZE // 2) * 2 + 1,  # odd: coprime with 2**17
        perm_b=secrets.randbelow(LIST_SIZE),
    )
    db.session.add(row)
    db.session.flush()
    return row


def _open_list(org: Organisation, purpose: StatusPurpose) -> StatusList:
    row = db.session.scalar(
        db.select(StatusList)
        .filter(StatusList.organisation_id == org.id, StatusList.purpose == purpose,
                StatusList.allocated < StatusList.size)
        .order_by(StatusList.id)
        .limit(1)
        .with_for_update()
        # The locked row's current values, not a copy this session loaded earlier.
        .execution_options(populate_existing=True)
    )
    return row or _new_list(org, purpose)


def allocate(org: Organisation, purpose: StatusPurpose, count: int = 1) -> list[tuple[StatusList, int]]:
    """Reserve ``count`` indexes in ``org``'s lists for ``purpose`` (in the caller's transaction)."""
    result: list[tuple[StatusList, int]] = []
    while len(result) < count:
        row = _open_list(org, purpose)
        take = min(count - len(result), row.size - row.allocated)
        start = row.allocated
        row.allocated = start + take
        result += [(row, (n * row.perm_a + row.perm_b) % row.size) for n in range(start, start + take)]
        db.session.flush()
    return result


def set_bit(list_id: int, index: int, value: bool) -> None:
    row = db.session.scalar(db.select(StatusList).filter_by(id=list_id).with_for_update()
                            .execution_options(populate_existing=True))
    bits = bytearray(row.bits)
    status_list.set_bit(bits, index, value)
    row.bits = bytes(bits)
    row.version += 1


def entry(row: StatusList, index: int) -> dict:
    return status_list.status_entry(urls.status_list_url(row.uuid), index, row.purpose.value)


def _stored_is_current(row: StatusList) -> bool:
    return row.signed_document is not None and row.signed_version == row.version


def _document(row: StatusList, org: Organisation, key: keystore.ActiveKey | None) -> dict:
    """The list credential for the current bits, signed with ``key`` (unsigned without)."""
    unsigned = status_list.status_list_credential(
        urls.status_list_url(row.uuid), urls.issuer_id(org.slug), row.purpose.value, row.bits,
        datetime.now(UTC),
    )
    if key is None:
        return unsigned
    return data_integrity.sign(unsigned, key.private_key, key.verification_method)


def current_document(row: StatusList) -> dict:
    """The signed ``BitstringStatusListCredential`` for the list's current bits.

    The stored one when it is current; otherwise a fresh signature, *not*
    stored (verification reads lists and must not write: see
    :func:`published_credential`).
    """
    if _stored_is_current(row):
        return cast(dict[str, Any], row.signed_document)  # current, so not None
    org = cast(Organisation, db.session.get(Organisation, row.organisation_id))
    # No key may sign for the organisation now (its last one was retired or reported
    # compromised), and making one is a write: the list then goes unsigned. The verifier
    # reads these bits from our own database anyway; the published list gets a new key.
    return _document(row, org, keystore.current_key(org))


def published_credential(row: StatusList) -> dict:
    """The signed list as published at its URL, re-signed and stored only when bits changed."""
    if _stored_is_current(row):
        return cast(dict[str, Any], row.signed_document)  # current, so not None
    org = cast(Organisation, db.session.get(Organisation, row.organisation_id))
    signed = _document(row, org, keystore.signing_key_for(org))  # a key is made if none
    row.signed_document = signed
    row.signed_version = row.version
    db.session.commit()
    return signed


def by_uuid(uuid: str) -> StatusList | None:
    return db.session.scalar(db.select(StatusList).filter_by(uuid=uuid))


def find_by_url(url: str) -> StatusList | None:
    prefix = urls.status_list_url("")
    if not url.startswith(prefix):
        return None
    return db.session.scalar(db.select(StatusList).filter_by(uuid=url[len(prefix):]))
