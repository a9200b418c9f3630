"""What issuing tells the rest of the service, after the transaction commits.

Subscribers (see ``badges.app.wiring``): notifications mail the recipient;
LLO trajectories look whether a learner completed one. Statistics and
webhooks would subscribe here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from badges.issuing.models import Credential, CredentialState
    from badges.issuing.services import Issued


@dataclass(frozen=True)
class CredentialsIssued:
    """New credentials were signed and stored (one form, one API call, a bulk chunk)."""

    issued: tuple[Issued, ...]


@dataclass(frozen=True)
class CredentialsDelivered:
    """Credentials issued earlier reached a learner's passport (claimed, or a confirmed address)."""

    credentials: tuple[Credential, ...]


@dataclass(frozen=True)
class CredentialStateChanged:
    """A credential was revoked, suspended or reinstated."""

    credential_id: int
    state: CredentialState
    previous: CredentialState


@dataclass(frozen=True)
class CoIssueChanged:
    """A co-issue request was made, accepted, declined, issued alone or cancelled."""

    request_id: int
    state: str
