"""Signing keys and status lists: the state the credential engine needs kept."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.models.base import Base, CreatedAt, new_uuid, value_enum
from badges.models.organisation import Organisation


class SigningKey(CreatedAt, Base):
    """An issuer's Ed25519 key. The private part is stored encrypted only.

    A retired key signs nothing new but stays published so old credentials
    keep verifying; a compromised key makes its credentials fail.
    """

    __tablename__ = "signing_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    kid: Mapped[str] = mapped_column(String(40))  # fragment: "key-1"
    algorithm: Mapped[str] = mapped_column(String(16), default="Ed25519")
    public_multibase: Mapped[str] = mapped_column(String(80))
    private_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    retired_at: Mapped[datetime | None]
    compromised_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (UniqueConstraint("organisation_id", "kid"),)


class StatusPurpose(enum.StrEnum):
    REVOCATION = "revocation"
    SUSPENSION = "suspension"


class StatusList(CreatedAt, Base):
    """A Bitstring Status List of one issuer for one purpose.

    ``allocated`` only ever grows (a row-locked counter), and the index handed
    out is a fixed permutation of it, so no index is given twice while
    neighbouring credentials do not get neighbouring indexes.
    """

    __tablename__ = "status_list"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    purpose: Mapped[StatusPurpose] = mapped_column(value_enum(StatusPurpose))
    size: Mapped[int] = mapped_column(default=131_072)
    allocated: Mapped[int] = mapped_column(default=0)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    # index = (allocated * perm_a + perm_b) mod size, perm_a odd: a bijection
    perm_a: Mapped[int] = mapped_column(default=1)
    perm_b: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)  # bumped on every change
    # The published, signed list credential for ``signed_version``; re-signed
    # lazily when a request finds it older than ``version``.
    signed_document: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    signed_version: Mapped[int] = mapped_column(default=-1)

    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (Index("ix_status_list_organisation_id_purpose", "organisation_id", "purpose"),)
