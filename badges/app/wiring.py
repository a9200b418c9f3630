"""How features that do not know each other are joined, at start-up.

Lower features publish events and offer hooks; higher ones subscribe here, so
that every such connection is in one place a reader can find.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from badges.accounts.events import AddressConfirmed, SignedInWithProvider
    from badges.accounts.start import set_start_page
    from badges.app import landing
    from badges.issuing import notifications
    from badges.issuing.events import CredentialsDelivered, CredentialsIssued, CredentialStateChanged
    from badges.kernel.events import subscribe
    from badges.organisations import sign_in_rules
    from badges.passport import claiming, share
    from badges.trajectories import services as trajectories
    from badges.verification import sources

    # After issuing commits: the recipient is told, then trajectories look for a completed one.
    subscribe(CredentialsIssued, notifications.on_issued)
    subscribe(CredentialsIssued, trajectories.on_issued)
    subscribe(CredentialsDelivered, trajectories.on_delivered)
    subscribe(CredentialStateChanged, notifications.on_state_changed)

    # A proven address: credentials that waited for its owner move into the passport.
    subscribe(AddressConfirmed, claiming.on_address_confirmed)

    # Staff signing in with their institution join it when an approved rule matches.
    subscribe(SignedInWithProvider, sign_in_rules.on_signed_in)

    # After signing in, every role lands on its own start page.
    set_start_page(landing.start_page)

    # A pasted link to a share page verifies the one credential on it.
    sources.add_local_page(r"/s/([^/]+)/?", share.share_page_source)
