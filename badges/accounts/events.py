"""What accounts tell the rest of the service, after the transaction commits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddressConfirmed:
    """An account's primary address was proven (a link mailed to it was used).

    The passport subscribes: credentials issued to that address while it was
    unproven waited for a claim link, and now move into the passport.
    """

    user_id: int
    email: str


@dataclass(frozen=True)
class AccountDeleted:
    """A learner deleted their account (after the erasure committed).

    Features that keep copies of the person's details elsewhere erase them
    (bulk issuing: the CSV rows that named them). The user row is gone: the
    event carries the addresses it had and the credentials issued to it.
    """

    emails: tuple[str, ...]
    credential_ids: tuple[int, ...]


@dataclass(frozen=True)
class SignedInWithProvider:
    """Someone signed in with an OpenID Provider (or linked one, or started a passport with it).

    Organisations subscribe: an approved membership rule for the verified email's
    domain or the ``schac_home_organization`` makes this person staff.
    """

    user_id: int
    provider: str
    email: str | None  # only when the provider verified it
    home_organisation: str | None
