"""A credential in its VC-JWT form (OB 3.0 section 8.2, VC-JOSE-COSE style).

The stored credential carries an embedded Data Integrity proof; some wallets
and verifiers take only the compact JWT. The same document (without its
embedded proof) is enveloped and signed on request with the issuer's current
key; the header's ``kid`` is that key's verification method URL, which is
also its ``kid`` in the issuer's JWK Set (``/issuers/<slug>/jwks.json``).
Signing is cheap (EdDSA), so nothing is stored: a rotated key signs from now on.
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.credentials.jwt import sign_vc_jwt
from badges.issuing import keystore
from badges.issuing.models import Credential
from badges.kernel.errors import Conflict

MEDIA_TYPE = "application/vc+jwt"


def credential_jwt(credential: Credential) -> str:
    """The compact VC-JWT of ``credential``, signed now by its issuer's current key.

    Reading never makes a key: an issuer whose keys are all retired or
    compromised gets a ``Conflict`` until a new key is made in its workspace.
    """
    key = keystore.current_key(credential.organisation)
    if key is None:
        raise Conflict(_("De uitgever heeft nu geen sleutel om mee te ondertekenen. "
                         "Probeer het later opnieuw."), code="no_signing_key")
    return sign_vc_jwt(credential.document, key.private_key, key.verification_method)
