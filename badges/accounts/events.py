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
