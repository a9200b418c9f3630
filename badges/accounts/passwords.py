"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# A real hash to compare against when the account does not exist, so a login
# for an unknown email costs as much time as one for a known email.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_LENGTH = 10


def use_parameters(parameters: Parameters) -> None:
    """Hash with other argon2 parameters from now on (process-wide).

    Only the test suite calls this, with argon2's CHEAPEST profile: a thousand
    logins at the production cost would spend minutes of CI on hashing alone.
    Hashes made with other parameters still verify, and ``needs_rehash`` flags them.
    """
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
