"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from badges.models.achievement import Achievement, AchievementKind, AchievementState, Skill
from badges.models.audit import AuditEvent
from badges.models.base import Base, utcnow
from badges.models.bulk import BulkJob, BulkJobState, BulkRow, BulkRowState
from badges.models.credential import Credential, CredentialState
from badges.models.endorsement import Endorsement
from badges.models.imported import ImportedCredential
from badges.models.organisation import Organisation, OrganisationKind
from badges.models.pathway import Pathway, PathwayStep
from badges.models.share import ShareLink, ShareView
from badges.models.signing import SigningKey, StatusList, StatusPurpose
from badges.models.user import ApiToken, EmailAddress, Membership, Role, User

__all__ = [
    "Achievement",
    "AchievementKind",
    "AchievementState",
    "ApiToken",
    "AuditEvent",
    "Base",
    "BulkJob",
    "BulkJobState",
    "BulkRow",
    "BulkRowState",
    "Credential",
    "CredentialState",
    "EmailAddress",
    "Endorsement",
    "ImportedCredential",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Pathway",
    "PathwayStep",
    "Role",
    "ShareLink",
    "ShareView",
    "SigningKey",
    "Skill",
    "StatusList",
    "StatusPurpose",
    "User",
    "utcnow",
]
