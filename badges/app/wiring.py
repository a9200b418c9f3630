"""How features that do not know each other are joined, at start-up.

Lower features publish events and offer hooks; higher ones subscribe here, so
that every such connection is in one place a reader can find.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from badges.accounts.events import AddressConfirmed
    from badges.issuing import notifications
    from badges.issuing.events import (
        CoIssueChanged,
        CredentialsDelivered,
        CredentialsIssued,
        CredentialStateChanged,
    )
    from badges.kernel.events import subscribe
    from badges.passport import claiming, share
    from badges.trajectories import services as trajectories
    from badges.verification import sources

    # After issuing commits: the recipient is told, then trajectories look for a completed one.
    subscribe(CredentialsIssued, notifications.on_issued)
    subscribe(CredentialsIssued, trajectories.on_issued)
    subscribe(CredentialsDelivered, trajectories.on_delivered)
    subscribe(CredentialStateChanged, notifications.on_state_changed)
    # Co-issuing: each step is mailed to the other organisation's admins and issuers.
    subscribe(CoIssueChanged, notifications.on_co_issue_changed)

    # A proven address: credentials that waited for its owner move into the passport.
    subscribe(AddressConfirmed, claiming.on_address_confirmed)

    # A pasted link to a share page verifies the one credential on it.
    sources.add_local_page(r"/s/([^/]+)/?", share.share_page_source)
