"""How features that do not know each other are joined, at start-up.

Lower features publish events and offer hooks; higher ones subscribe here, so
that every such connection is in one place a reader can find.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from badges.accounts.events import AccountDeleted, AddressConfirmed, SignedInWithProvider
    from badges.accounts.start import set_start_page
    from badges.app import landing
    from badges.claimcodes import services as claim_codes
    from badges.insight import counting
    from badges.issuing import bulk, notifications
    from badges.issuing.events import (
        CoIssueChanged,
        CredentialsDelivered,
        CredentialsIssued,
        CredentialStateChanged,
    )
    from badges.kernel import metrics
    from badges.kernel.events import subscribe
    from badges.organisations import sign_in_rules
    from badges.passport import claiming, share
    from badges.passport.events import CredentialsShared, SharePageViewed
    from badges.trajectories import services as trajectories
    from badges.verification import outcome as verify_outcome
    from badges.verification import sources

    # After issuing commits: the recipient is told, then trajectories look for a completed one.
    subscribe(CredentialsIssued, notifications.on_issued)
    subscribe(CredentialsIssued, trajectories.on_issued)
    subscribe(CredentialsDelivered, trajectories.on_delivered)
    subscribe(CredentialStateChanged, notifications.on_state_changed)
    # Insight's rollups: counted once the change has committed.
    subscribe(CredentialsIssued, counting.on_issued)
    subscribe(CredentialsDelivered, counting.on_delivered)
    subscribe(CredentialStateChanged, counting.on_state_changed)
    subscribe(CredentialsShared, counting.on_shared)
    subscribe(SharePageViewed, counting.on_viewed)
    verify_outcome.on_checked(counting.verified)

    # Operators' counters (Prometheus at /metrics).
    subscribe(CredentialsIssued, metrics.on_issued)

    # Co-issuing: each step is mailed to the other organisation's admins and issuers.
    subscribe(CoIssueChanged, notifications.on_co_issue_changed)

    # A proven address: credentials that waited for its owner move into the passport.
    subscribe(AddressConfirmed, claiming.on_address_confirmed)

    # A deleted account: the bulk rows that named the person lose their personal cells.
    subscribe(AccountDeleted, bulk.on_account_deleted)
    subscribe(AccountDeleted, claim_codes.on_account_deleted)

    # Staff signing in with their institution join it when an approved rule matches.
    subscribe(SignedInWithProvider, sign_in_rules.on_signed_in)

    # After signing in, every role lands on its own start page.
    set_start_page(landing.start_page)

    # A pasted link to a share page verifies the one credential on it.
    sources.add_local_page(r"/s/([^/]+)/?", share.share_page_source)

    # The learner's data export names the apps connected through the Open Badges API.
    from badges.obapi import services as obapi
    from badges.passport import privacy

    privacy.add_section("openBadgesApiApps", obapi.personal_data)
    # ... and answers HTTP errors under its base path in its own format (Imsx_StatusInfo).
    from badges.kernel import errors
    from badges.obapi import api as obapi_api

    errors.add_error_renderer("/ims/ob/v3p0/", obapi_api.http_error)
