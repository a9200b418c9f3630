"""What the passport tells the rest of the service, after the transaction commits.

Subscribers (see ``badges.app.wiring``): insight counts shares and views per achievement.
Only ids travel: who shared or looked is nobody else's business.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CredentialsShared:
    """A learner made a share link showing these credentials."""

    credential_ids: tuple[int, ...]


@dataclass(frozen=True)
class SharePageViewed:
    """Someone opened a share link; these credentials were on it."""

    credential_ids: tuple[int, ...]
