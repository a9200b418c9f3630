"""Shared fixtures for the credential engine tests."""

from __future__ import annotations

import pytest
from _interop import W3C, load_json


@pytest.fixture(scope="session")
def w3c_keys():
    from badges.credentials.keys import private_key_from_multibase, public_key_from_multibase

    pair = load_json(W3C / "keyPair.json")
    return (private_key_from_multibase(pair["privateKeyMultibase"]),
            public_key_from_multibase(pair["publicKeyMultibase"]))
