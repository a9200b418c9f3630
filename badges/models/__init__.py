"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from badges.models.achievement import Achievement, AchievementKind, AchievementState, Skill
from badges.models.adviser import AdviserGrant, AdviserView
from badges.models.application import (
    Application,
    ApplicationEvidence,
    ApplicationMessage,
    ApplicationState,
    EvidenceKind,
)
from badges.models.audit import AuditEvent
from badges.models.base import Base, utcnow
from badges.models.bulk import BulkJob, BulkJobState, BulkRow, BulkRowState
from badges.models.credential import Credential, CredentialState
from badges.models.endorsement import Endorsement
from badges.models.imported import ImportedCredential
from badges.models.listing import CostKind, FundingTag, Listing, ListingFormat, ListingFunding
from badges.models.organisation import Organisation, OrganisationKind
from badges.models.pathway import Pathway, PathwayStep
from badges.models.share import ShareLink, ShareView
from badges.models.signing import SigningKey, StatusList, StatusPurpose
from badges.models.trajectory import AwardMode, AwardState, PathwayPartner, TrajectoryAward
from badges.models.user import ApiToken, EmailAddress, Membership, Role, User

__all__ = [
    "Achievement",
    "AchievementKind",
    "AchievementState",
    "AdviserGrant",
    "AdviserView",
    "ApiToken",
    "Application",
    "ApplicationEvidence",
    "ApplicationMessage",
    "ApplicationState",
    "AuditEvent",
    "AwardMode",
    "AwardState",
    "Base",
    "BulkJob",
    "BulkJobState",
    "BulkRow",
    "BulkRowState",
    "CostKind",
    "Credential",
    "CredentialState",
    "EmailAddress",
    "Endorsement",
    "EvidenceKind",
    "FundingTag",
    "ImportedCredential",
    "Listing",
    "ListingFormat",
    "ListingFunding",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Pathway",
    "PathwayPartner",
    "PathwayStep",
    "Role",
    "ShareLink",
    "ShareView",
    "SigningKey",
    "Skill",
    "StatusList",
    "StatusPurpose",
    "TrajectoryAward",
    "User",
    "utcnow",
]
