"""Fixtures for the verify page tests (shared with the API tests)."""

from tests._verify_support import make_credential, ours  # noqa: F401 - fixtures
