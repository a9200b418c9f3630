"""A wallet's side of OpenID4VCI 1.0 written with PyJWT, for the refusal tests.

The happy path is driven by an independent wallet (tests/wallet_client); these
helpers make the deliberately wrong requests that no real wallet library sends.
"""

from __future__ import annotations

import base64
import html
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges.credentials.keys import did_key_from_public

PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER_RE = re.compile(r'href="(openid-credential-offer://[^"]+)"')
TX_RE = re.compile(r'id="tx-code">(\d+)<')
QR_RE = re.compile(r'data-offer-uri="([^"]+)"')


@dataclass
class Offer:
    uri: str  # by value: the link on the page
    tx_code: str
    qr_uri: str = ""  # by reference: what the QR code holds

    @property
    def payload(self) -> dict:
        query = parse_qs(urlparse(self.uri).query)
        return json.loads(query["credential_offer"][0])

    @property
    def code(self) -> str:
        return self.payload["grants"][PRE_AUTH]["pre-authorized_code"]


def offer_from_page(page: str) -> Offer:
    """The offer link and transaction code, as the learner sees them."""
    uri, tx, qr = OFFER_RE.search(page), TX_RE.search(page), QR_RE.search(page)
    assert uri and tx and qr, "no offer on the page"
    return Offer(html.unescape(uri.group(1)), tx.group(1), html.unescape(qr.group(1)))


class WalletKey:
    """An Ed25519 holder key, named by did:key (``kid``) or given as ``jwk``."""

    def __init__(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.did = did_key_from_public(self.private.public_key())

    @property
    def jwk(self) -> dict:
        raw = self.private.public_key().public_bytes_raw()
        return {"kty": "OKP", "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}

    def proof(self, *, aud: str, nonce: str | None, use_jwk: bool = False, typ: str = "openid4vci-proof+jwt",
              iat: float | None = None, signer: Ed25519PrivateKey | None = None) -> str:
        header: dict = {"typ": typ}
        if use_jwk:
            header["jwk"] = self.jwk
        else:
            header["kid"] = f"{self.did}#{self.did.removeprefix('did:key:')}"
        claims: dict = {"aud": aud, "iat": int(iat if iat is not None else time.time())}
        if nonce is not None:
            claims["nonce"] = nonce
        return pyjwt.encode(claims, signer or self.private, algorithm="EdDSA", headers=header)
