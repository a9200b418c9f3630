"""Quiet quotas: limits a use case keeps without answering differently.

Some limits must not show: a page that said "too many mails to this address"
would tell whoever asks that the address is in use. A quota counts in the
rate limiter's storage (Redis when configured, so all workers share it) and
only says whether the action may happen; the caller answers the same either way.
"""

from __future__ import annotations

from limits import parse

from badges.kernel.extensions import limiter

#: Mails about one account (registration, "you already have an account", reset link)
#: an address receives at most, however many sources ask.
MAILS_PER_ADDRESS = "3 per hour"


def allow(limit: str, *key: str) -> bool:
    """Count one use of ``key`` against ``limit``; False once it is used up.

    Always True when rate limits are off (tests, ``BADGES_RATELIMIT_ENABLED=0``).
    """
    if not limiter.enabled or getattr(limiter, "_storage", None) is None:
        return True
    return limiter.limiter.hit(parse(limit), "quota", *key)
