"""Issued credentials, the signing keys and status lists behind them, bulk jobs, endorsements."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.kernel.models import Base, CreatedAt, new_uuid, value_enum
from badges.organisations.models import Organisation


class CredentialState(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Credential(CreatedAt, Base):
    __tablename__ = "credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"))
    recipient_email: Mapped[str | None] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    issued_at: Mapped[datetime]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assessor: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[CredentialState] = mapped_column(
        value_enum(CredentialState), default=CredentialState.ACTIVE
    )
    state_reason: Mapped[str | None] = mapped_column(Text)
    state_changed_at: Mapped[datetime | None]
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # the signed credential
    signing_key_id: Mapped[int | None] = mapped_column(ForeignKey("signing_key.id"))
    revocation_list_id: Mapped[int | None] = mapped_column(ForeignKey("status_list.id"))
    revocation_index: Mapped[int | None]
    suspension_list_id: Mapped[int | None] = mapped_column(ForeignKey("status_list.id"))
    suspension_index: Mapped[int | None]
    claim_token_hash: Mapped[str | None] = mapped_column(String(64))
    # When the current claim link was made: it works CLAIM_LINK_DAYS from then.
    claim_link_sent_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    # The learner deleted their account: no longer served publicly (410 Gone).
    holder_deleted_at: Mapped[datetime | None]
    # One credential per recipient × achievement lineage × period per issuer:
    # re-uploading a CSV or retrying an API call issues nothing twice.
    dedup_key: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # the API token that issued it: a token is an issuer account for the award limits
    api_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()
    achievement: Mapped[Achievement] = relationship()
    recipient: Mapped[User | None] = relationship(foreign_keys=[recipient_user_id])

    __table_args__ = (
        UniqueConstraint("organisation_id", "dedup_key"),
        UniqueConstraint("revocation_list_id", "revocation_index"),
        UniqueConstraint("suspension_list_id", "suspension_index"),
        Index("ix_credential_recipient_user_id", "recipient_user_id"),
        Index("ix_credential_recipient_email", "recipient_email"),
        Index("ix_credential_achievement_id", "achievement_id"),
        Index("ix_credential_organisation_id_issued_at", "organisation_id", "issued_at"),
    )


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


class BulkJobState(enum.StrEnum):
    PREVIEW = "preview"  # parsed and validated, waiting for the issuer's go
    WAITING = "waiting"  # started, waiting for a second person's approval (four-eyes, limits)
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class BulkRowState(enum.StrEnum):
    PENDING = "pending"
    ISSUED = "issued"
    SKIPPED = "skipped"  # already issued earlier (same person × achievement × period)
    INVALID = "invalid"


class BulkJob(CreatedAt, Base):
    __tablename__ = "bulk_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(10), default="web")  # "web" | "api"
    # the API token that uploaded it (an account for the award limits, like uploaded_by)
    api_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str] = mapped_column(String(20), default="utf-8")
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[BulkJobState] = mapped_column(
        value_enum(BulkJobState), default=BulkJobState.PREVIEW
    )
    total: Mapped[int] = mapped_column(default=0)
    valid: Mapped[int] = mapped_column(default=0)
    invalid: Mapped[int] = mapped_column(default=0)
    issued: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Who runs it ("host:pid") and when it last showed progress: a job whose owner
    # died (an inline run killed with its web process) is seen as interrupted.
    owner: Mapped[str | None] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime | None]
    # When the rows' personal cells (e-mail, name, free text) were erased; counts stay.
    purged_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()

    @property
    def counts(self) -> dict[str, int]:
        return {"total": self.total, "valid": self.valid, "invalid": self.invalid,
                "issued": self.issued, "skipped": self.skipped,
                "pending": max(self.valid - self.issued - self.skipped, 0)}

    __table_args__ = (Index("ix_bulk_job_organisation_id", "organisation_id"),)


class BulkRow(Base):
    __tablename__ = "bulk_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("bulk_job.id", ondelete="CASCADE"))
    line: Mapped[int]  # line number in the file, header is line 1
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # normalised cells
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # {field, message}
    state: Mapped[BulkRowState] = mapped_column(
        value_enum(BulkRowState), default=BulkRowState.PENDING
    )
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievement.id", ondelete="SET NULL")
    )
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("job_id", "line"),
        Index("ix_bulk_row_job_id_state", "job_id", "state"),
    )


class Endorsement(CreatedAt, Base):
    """A signed OB 3.0 ``EndorsementCredential`` by ``endorser`` about ``achievement``.

    Revoking hides it and stops it being shown or embedded; the signed
    document is kept so the audit trail shows what was said.
    """

    __tablename__ = "endorsement"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    endorser_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id", ondelete="CASCADE"))
    comment: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]

    endorser: Mapped[Organisation] = relationship()
    achievement: Mapped[Achievement] = relationship()

    __table_args__ = (
        Index("ix_endorsement_achievement_id", "achievement_id"),
        Index("ix_endorsement_endorser_id", "endorser_id"),
    )


class CoIssueState(enum.StrEnum):
    PENDING = "pending"  # "wacht op partner": nothing signed or sent yet
    ACCEPTED = "accepted"  # issued, signed by both organisations (a proof set)
    DECLINED = "declined"  # the partner said no, with a reason; the issuer decides next
    ISSUED_ALONE = "issued_alone"  # after a decline: issued by the issuer only
    CANCELLED = "cancelled"


class CoIssueRequest(CreatedAt, Base):
    """A credential ``organisation`` wants to issue together with ``partner``.

    What would be signed waits here, unsigned, until the partner's admins or
    issuers accept (then both organisations sign it: a proof set) or decline
    with a reason (then the issuer issues it alone or cancels it).
    """

    __tablename__ = "co_issue_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"))
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    assessor: Mapped[str | None] = mapped_column(String(200))
    valid_until: Mapped[datetime | None]
    state: Mapped[CoIssueState] = mapped_column(value_enum(CoIssueState),
                                                default=CoIssueState.PENDING)
    reason: Mapped[str | None] = mapped_column(Text)  # why the partner declined
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    credential_id: Mapped[int | None] = mapped_column(
        ForeignKey("credential.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    partner: Mapped[Organisation] = relationship(foreign_keys=[partner_id])
    achievement: Mapped[Achievement] = relationship()
    credential: Mapped[Credential | None] = relationship()

    __table_args__ = (
        Index("ix_co_issue_request_organisation_id_state", "organisation_id", "state"),
        Index("ix_co_issue_request_partner_id_state", "partner_id", "state"),
    )


class AwardState(enum.StrEnum):
    WAITING = "waiting"  # "wacht op goedkeuring"
    APPROVED = "approved"  # signed and delivered
    REJECTED = "rejected"


class HoldReason(enum.StrEnum):
    FOUR_EYES = "four_eyes"  # the achievement needs a second person
    THRESHOLD = "threshold"  # the issuer account passed its hourly or daily limit


class PendingAward(CreatedAt, Base):
    """An award that waits for a second person before it is signed.

    Nothing is signed or reserved until approval: ``request`` keeps what the
    issuer filled in (JSON-able), and approving issues it through the one
    issuing path, in the issuer's name. A bulk job waits as a whole: one row
    with ``bulk_job_id`` and no ``request``.
    """

    __tablename__ = "pending_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    achievement_id: Mapped[int | None] = mapped_column(ForeignKey("achievement.id"))
    bulk_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("bulk_job.id", ondelete="CASCADE"))
    request: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recipient_email: Mapped[str | None] = mapped_column(String(254))
    dedup_key: Mapped[str | None] = mapped_column(String(64))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    api_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"))
    via: Mapped[str] = mapped_column(String(10), default="web")  # "web" | "api" | "bulk"
    reason: Mapped[HoldReason] = mapped_column(value_enum(HoldReason))
    state: Mapped[AwardState] = mapped_column(value_enum(AwardState), default=AwardState.WAITING)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    credential_uuid: Mapped[str | None] = mapped_column(String(36))

    organisation: Mapped[Organisation] = relationship()
    achievement: Mapped[Achievement | None] = relationship()
    bulk_job: Mapped[BulkJob | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (Index("ix_pending_award_organisation_id_state", "organisation_id", "state"),)
