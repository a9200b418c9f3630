"""Organisations, the people in them (memberships and roles) and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from badges.accounts.models import User
from badges.kernel.models import Base, CreatedAt, value_enum
from badges.organisations.names import name_key

#: What an API token or OAuth client may do (#15.12); existing tokens keep all of them.
SCOPES = ("issue", "revoke", "bulk", "read")
ALL_SCOPES = " ".join(SCOPES)


class Role(enum.StrEnum):
    ADMIN = "admin"  # manages the organisation, its people and tokens
    ISSUER = "issuer"  # issues and revokes
    APPROVER = "approver"  # issues, and approves awards that wait for a second person
    VIEWER = "viewer"  # reads


class Membership(CreatedAt, Base):
    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    role: Mapped[Role] = mapped_column(value_enum(Role))

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        Index("ix_membership_organisation_id", "organisation_id"),
    )


class ApiToken(CreatedAt, Base):
    """A bearer token for an issuer's API access. Only a hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Space-separated (as OAuth writes scopes): what the token may do; see api_tokens.SCOPES.
    scopes: Mapped[str] = mapped_column(String(60), default=ALL_SCOPES)
    expires_at: Mapped[datetime | None]
    # Set on the short-lived tokens an OAuth client gets from /oauth/token.
    oauth_client_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True
    )

    organisation: Mapped[Organisation] = relationship()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def actor_label(self) -> str:
        """How the audit log names this token: its label and prefix."""
        return f"API: {self.name or '—'} ({self.prefix}…)"


class OAuthClient(CreatedAt, Base):
    """An OAuth 2.0 client (client credentials grant) of an organisation; only the secret's
    hash is stored. Its access tokens are ``ApiToken`` rows with ``oauth_client_id`` set."""

    __tablename__ = "oauth_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    client_id: Mapped[str] = mapped_column(String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(60), default=ALL_SCOPES)
    revoked_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class OrganisationKind(enum.StrEnum):
    COLLEGE = "college"  # ROC, AOC, vakschool, or a college/team inside one
    EMPLOYER = "employer"  # leerbedrijf, company with in-house training
    BRANCH = "branch"  # branch organisation or training fund (O&O-fonds)
    COMMUNITY = "community"  # sports club, library, association
    MUNICIPALITY = "municipality"  # e.g. a Lerende Stad programme
    TRAINING_PROVIDER = "training_provider"


class Organisation(CreatedAt, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # name_key(name), kept by the validator below: the verifier finds namesakes by it
    name_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    kind: Mapped[OrganisationKind] = mapped_column(value_enum(OrganisationKind))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(254))
    city: Mapped[str | None] = mapped_column(String(120))
    colour: Mapped[str] = mapped_column(String(7), default="#1f5f8b")
    brin: Mapped[str | None] = mapped_column(String(8))  # schools
    kvk: Mapped[str | None] = mapped_column(String(8))  # companies
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    verified: Mapped[bool] = mapped_column(default=False)
    verified_at: Mapped[datetime | None]
    # how the platform admin checked BRIN/KvK (register, date, by whom), kept with the verification
    verification_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    short_name: Mapped[str | None] = mapped_column(String(40))
    # checked and sanitised on upload (kernel.media.image_checks): PNG or SVG
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mime: Mapped[str | None] = mapped_column(String(40))
    # the organisation's own opening words in the mail that announces a credential
    mail_intro_nl: Mapped[str] = mapped_column(Text, default="", server_default="")
    mail_intro_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    # an archived sub-unit issues nothing new and is hidden from pickers; its credentials stay
    archived_at: Mapped[datetime | None]
    # awards per issuer account (person or API token) before further ones wait for approval
    award_limit_hour: Mapped[int | None]
    award_limit_day: Mapped[int | None]

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")

    __table_args__ = (Index("ix_organisation_parent_id", "parent_id"),)

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class AssessorConsent(CreatedAt, Base):
    """Organisation ``organisation`` lets ``allowed`` name it as assessing organisation.

    A credential's ``source`` tells a reader that this organisation assessed the
    learner; until real co-issuing exists, an issuer may name only organisations
    that agreed to it (their admins keep this list on their settings page).
    """

    __tablename__ = "assessor_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    allowed_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    allowed: Mapped[Organisation] = relationship(foreign_keys=[allowed_id])

    __table_args__ = (
        UniqueConstraint("organisation_id", "allowed_id"),
        Index("ix_assessor_consent_allowed_id", "allowed_id"),
    )


class Invitation(CreatedAt, Base):
    """An offer to work for an organisation, sent to an email address.

    Adding someone on "Mensen" never attaches an account by itself: the person
    accepts with the mailed link while logged in with that address, confirmed.
    Single use (accepted or declined ends it) and expiring. Only a hash of the
    link's token is stored.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(value_enum(Role))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(  # who accepted or declined
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    __table_args__ = (Index("ix_invitation_organisation_id", "organisation_id"),)

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.declined_at is None and self.expires_at > now


class RuleKind(enum.StrEnum):
    EMAIL_DOMAIN = "email_domain"  # the part after @ of an email the provider verified
    HOME_ORGANISATION = "schac_home_organization"  # the institution's SURFconext/eduID claim


class MembershipRule(CreatedAt, Base):
    """Staff who sign in with a provider join ``organisation`` when their claim matches.

    An organisation admin proposes it; it does nothing until a platform admin
    approved it (who checks that the domain or institution really is theirs). A
    claim alone never makes anyone staff.
    """

    __tablename__ = "membership_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    kind: Mapped[RuleKind] = mapped_column(value_enum(RuleKind))
    value: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(value_enum(Role))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "value"),
        Index("ix_membership_rule_kind_value", "kind", "value"),
    )


class RequestState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class OrganisationRequest(CreatedAt, Base):
    """An organisation that signed up itself (a sports club, a leerbedrijf), waiting for review.

    The platform admin approves it (the organisation is created and the contact
    invited as its first admin) or declines it with a reason; the contact is told
    either way. Nothing exists on the platform until it is approved.
    """

    __tablename__ = "organisation_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(value_enum(OrganisationKind))
    brin: Mapped[str | None] = mapped_column(String(8))
    kvk: Mapped[str | None] = mapped_column(String(8))
    website: Mapped[str | None] = mapped_column(String(500))
    city: Mapped[str | None] = mapped_column(String(120))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[RequestState] = mapped_column(value_enum(RequestState),
                                                default=RequestState.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (Index("ix_organisation_request_state", "state"),)
