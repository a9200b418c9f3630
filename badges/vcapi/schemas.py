"""Reading VC-API request bodies: shape, size and contexts, before anything is signed.

Every refusal is a :class:`BadRequest` with a stable ``code`` and a plain reason in
Dutch and English; the API turns it into problem+json. Only context URLs bundled with the
engine are accepted (embedded context objects too): a context we would have to fetch
could change what was signed.
"""

from __future__ import annotations

from typing import Any

from badges.credentials import loader
from badges.credentials.verify import vc_model

#: Largest request body the VC-API reads (a credential is a few kB; bulk has its own API).
MAX_BODY = 256 * 1024
SUPPORTED_SUITES = ("eddsa-rdfc-2022",)


class BadRequest(Exception):
    """Input the VC-API refuses (400 unless ``status`` says otherwise)."""

    def __init__(self, code: str, nl: str, en: str, status: int = 400) -> None:
        super().__init__(en)
        self.code, self.message_nl, self.message_en, self.status = code, nl, en, status


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def member(body: Any, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``body[name]`` and ``body["options"]``, both JSON objects."""
    if not isinstance(body, dict):
        raise BadRequest("bad_json", "Stuur een JSON-object.", "Send a JSON object.")
    inner, options = body.get(name), body.get("options", {})
    if not isinstance(inner, dict):
        raise BadRequest("missing_" + name, f"Het veld '{name}' ontbreekt of is geen object.",
                         f"The field '{name}' is missing or not an object.")
    if not isinstance(options, dict):
        raise BadRequest("bad_options", "'options' moet een object zijn.",
                         "'options' must be an object.")
    return inner, options


def check_contexts(doc: dict[str, Any]) -> None:
    """The first context is VC 2.0 or 1.1; every context is one the engine bundles."""
    contexts = _as_list(doc.get("@context"))
    if not contexts or contexts[0] not in (loader.VC_V2, loader.VC_V1):
        raise BadRequest("bad_context",
                         "De eerste @context moet die van het VC-datamodel (1.1 of 2.0) zijn.",
                         "The first @context must be the VC data model's (1.1 or 2.0).")
    for context in contexts:
        # An embedded context object is read as is (nothing it names is fetched: the
        # canonicaliser's loader is closed); a URL must be one we bundle.
        if isinstance(context, dict):
            continue
        if not isinstance(context, str):
            raise BadRequest("bad_context", "Elke @context is een URL of een object.",
                             "Every @context is a URL or an object.")
        if context not in loader.CONTEXT_FILES:
            raise BadRequest("unknown_context",
                             f"Deze @context kennen wij niet: {context[:200]}",
                             f"We do not know this @context: {context[:200]}")


def check_credential(doc: dict[str, Any]) -> None:
    """What every credential to be signed needs: contexts, type, subject, no proof yet."""
    check_contexts(doc)
    if "VerifiableCredential" not in _as_list(doc.get("type")):
        raise BadRequest("bad_type", "'type' moet 'VerifiableCredential' bevatten.",
                         "'type' must include 'VerifiableCredential'.")
    subjects = _as_list(doc.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) and s for s in subjects):
        raise BadRequest("bad_subject", "'credentialSubject' ontbreekt of is leeg.",
                         "'credentialSubject' is missing or empty.")
    broken = vc_model.problems(doc)
    if broken:
        raise BadRequest("data_model", broken[0][0], broken[0][1])
    if "proof" in doc:
        raise BadRequest("already_signed", "Stuur de credential zonder bewijs (proof).",
                         "Send the credential without a proof.")


#: ``options.format`` values asking for a VC-JWT (VC-JOSE-COSE) instead of a Data Integrity proof.
JWT_FORMATS = frozenset({"vc+jwt", "application/vc+jwt"})
ENVELOPED_JWT_PREFIX = "data:application/vc+jwt,"


def wants_jwt(options: dict[str, Any]) -> bool:
    """``options.format``: absent or ``ldp_vc`` → Data Integrity; ``vc+jwt`` → VC-JWT."""
    fmt = options.get("format", "ldp_vc")
    if fmt in JWT_FORMATS:
        return True
    if fmt != "ldp_vc":
        raise BadRequest("unsupported_format",
                         "'format' is 'ldp_vc' (standaard) of 'vc+jwt'.",
                         "'format' is 'ldp_vc' (the default) or 'vc+jwt'.")
    return False


def enveloped_jwt(credential: dict[str, Any]) -> str | None:
    """The compact JWT inside an EnvelopedVerifiableCredential (VC 2.0, section 4.13)."""
    enveloped = credential.get("type") == "EnvelopedVerifiableCredential" or \
        credential.get("type") == ["EnvelopedVerifiableCredential"]
    ident = credential.get("id")
    if enveloped and isinstance(ident, str) and ident.startswith(ENVELOPED_JWT_PREFIX):
        return ident[len(ENVELOPED_JWT_PREFIX):]
    return None


def check_issue_options(options: dict[str, Any]) -> None:
    suite = options.get("cryptosuite", "eddsa-rdfc-2022")
    if suite not in SUPPORTED_SUITES:
        raise BadRequest("unsupported_cryptosuite",
                         "Wij ondertekenen alleen met eddsa-rdfc-2022.",
                         "We only sign with eddsa-rdfc-2022.")
    purpose = options.get("proofPurpose", "assertionMethod")
    if purpose != "assertionMethod":
        raise BadRequest("unsupported_purpose", "Alleen proofPurpose 'assertionMethod'.",
                         "Only proofPurpose 'assertionMethod'.")


def status_update(body: Any) -> tuple[str, str, bool]:
    """``{"credentialId", "credentialStatus": [{"type", "status"?, "statusPurpose"}]}``
    → (credential id, purpose, set the bit or clear it)."""
    if not isinstance(body, dict) or not isinstance(body.get("credentialId"), str):
        raise BadRequest("missing_credentialId", "Het veld 'credentialId' ontbreekt.",
                         "The field 'credentialId' is missing.")
    statuses = _as_list(body.get("credentialStatus"))
    if len(statuses) != 1 or not isinstance(statuses[0], dict):
        raise BadRequest("bad_credentialStatus",
                         "Geef precies één 'credentialStatus' met 'statusPurpose'.",
                         "Give exactly one 'credentialStatus' with 'statusPurpose'.")
    entry = statuses[0]
    purpose = entry.get("statusPurpose")
    if purpose not in ("revocation", "suspension"):
        raise BadRequest("bad_statusPurpose", "'statusPurpose' is 'revocation' of 'suspension'.",
                         "'statusPurpose' is 'revocation' or 'suspension'.")
    value = entry.get("status", True)
    if value in (True, 1, "1", "true"):
        return body["credentialId"], purpose, True
    if value in (False, 0, "0", "false"):
        return body["credentialId"], purpose, False
    raise BadRequest("bad_status", "'status' is true of false.", "'status' is true or false.")
