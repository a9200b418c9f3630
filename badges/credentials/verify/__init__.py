"""Verification as data: named checks, a pipeline that never raises, a bilingual report.

Entry points: ``verify_input`` (anything a visitor uploads) and
``verify_credential_dict`` (importers). Resolvers decide how much a key is
trusted; see ``resolvers``.
"""

from badges.credentials.verify.checks import CheckResult, VerifyContext
from badges.credentials.verify.pipeline import verify_credential_dict, verify_input
from badges.credentials.verify.report import Report
from badges.credentials.verify.resolvers import (
    ChainResolver,
    DidKeyResolver,
    FragmentMultikeyResolver,
    KeyResolver,
    ResolvedKey,
    StaticKeyResolver,
    StaticStatusResolver,
    StatusResolver,
)

__all__ = [
    "ChainResolver",
    "CheckResult",
    "DidKeyResolver",
    "FragmentMultikeyResolver",
    "KeyResolver",
    "Report",
    "ResolvedKey",
    "StaticKeyResolver",
    "StaticStatusResolver",
    "StatusResolver",
    "VerifyContext",
    "verify_credential_dict",
    "verify_input",
]
