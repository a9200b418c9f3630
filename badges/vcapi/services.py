"""VC-API use cases: sign any VC for an organisation, verify credentials and presentations.

Issuing signs with the organisation's current key (``eddsa-rdfc-2022``); the issuer is
always the organisation itself, so a token can never sign in another issuer's name.
Verifying runs our verification pipeline with the generic VC profile (badges keep their
OB 3.0 rules) and answers in the VC-API shape ``{verified, checks, warnings, errors}``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from badges.credentials import data_integrity
from badges.credentials.jwt import sign_vc_jwt
from badges.credentials.loader import DATA_INTEGRITY_V2, VC_V1, VC_V2
from badges.credentials.verify import ChainResolver
from badges.credentials.verify.report import Report
from badges.credentials.verify.resolvers import default_key_resolver
from badges.issuing import keystore, status_lists
from badges.issuing.models import StatusList, StatusPurpose
from badges.kernel import audit, events, urls
from badges.kernel.errors import NotFound
from badges.kernel.extensions import db
from badges.organisations.models import Organisation
from badges.vcapi.models import VcApiCredential
from badges.vcapi.schemas import (
    ENVELOPED_JWT_PREFIX,
    BadRequest,
    check_credential,
    check_issue_options,
    enveloped_jwt,
    wants_jwt,
)
from badges.verification.services import verify_with_facts


def _issuer_of(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    return issuer if isinstance(issuer, str) else None


def _with_issuer(doc: dict[str, Any], org: Organisation) -> dict[str, Any]:
    """The credential with our issuer id; another issuer named in it is refused."""
    ours = urls.issuer_id(org.slug)
    named = _issuer_of(doc)
    if "issuer" in doc and named is None:
        raise BadRequest("bad_issuer", "'issuer' moet een URL of een object met 'id' zijn.",
                         "'issuer' must be a URL or an object with an 'id'.")
    if named is not None and named != ours:
        raise BadRequest("issuer_mismatch",
                         f"Dit token ondertekent alleen als {ours}.",
                         f"This token signs only as {ours}.", status=403)
    out = dict(doc)
    if isinstance(doc.get("issuer"), dict):
        out["issuer"] = {**doc["issuer"], "id": ours}
    else:
        out["issuer"] = ours
    return out


def issue(org: Organisation, credential: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Sign ``credential`` as ``org``; audited. Raises :class:`BadRequest`."""
    check_credential(credential)
    check_issue_options(options)
    as_jwt = wants_jwt(options)
    doc = _with_issuer(credential, org)
    if OB3_TYPES & set(_types(doc)):
        _check_open_badge(doc, org)
    now = datetime.now(UTC)
    contexts = doc["@context"] if isinstance(doc["@context"], list) else [doc["@context"]]
    if as_jwt:
        return _issue_jwt(org, doc, contexts)
    if contexts[0] == VC_V1:
        # VC 1.1's context does not define the proof's terms: Data Integrity adds its own.
        if DATA_INTEGRITY_V2 not in contexts:
            doc["@context"] = [*contexts, DATA_INTEGRITY_V2]
        doc.setdefault("issuanceDate", data_integrity.format_datetime(now))
    elif "credentialStatus" not in doc:
        _add_status(org, doc)
    key = keystore.signing_key_for(org)
    try:
        signed = data_integrity.sign(doc, key.private_key, key.verification_method, created=now)
    except data_integrity.ProofError as exc:
        raise BadRequest(exc.code, exc.message_nl, exc.message_en) from exc
    audit.record("vcapi.issue", organisation_id=org.id, subject_type="credential",
                 subject_id=str(doc.get("id", ""))[:200], key=key.row.kid)
    events.commit()
    return signed


def _issue_jwt(org: Organisation, doc: dict[str, Any], contexts: list[Any]) -> dict[str, Any]:
    """Secure ``doc`` as a VC-JWT (VC-JOSE-COSE), returned enveloped (VC 2.0, section 4.13)."""
    if contexts[0] != VC_V2:
        raise BadRequest("jwt_needs_vc2", "Een VC-JWT kan alleen van een VC 2.0-bewijs.",
                         "A VC-JWT can only secure a VC 2.0 credential.")
    if "credentialStatus" not in doc:
        _add_status(org, doc)
    key = keystore.signing_key_for(org)
    token = sign_vc_jwt(doc, key.private_key, key.verification_method)
    audit.record("vcapi.issue", organisation_id=org.id, subject_type="credential",
                 subject_id=str(doc.get("id", ""))[:200], key=key.row.kid, format="vc+jwt")
    events.commit()
    return {"@context": VC_V2, "id": ENVELOPED_JWT_PREFIX + token,
            "type": "EnvelopedVerifiableCredential"}


OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


def _types(doc: dict[str, Any]) -> list[Any]:
    types = doc.get("type")
    return types if isinstance(types, list) else [types]


def _check_open_badge(doc: dict[str, Any], org: Organisation) -> None:
    """An Open Badge keeps our OB 3.0 rules: the issuer is our profile, the schema holds."""
    from badges.credentials import documents  # jsonschema is heavy: load on first use

    if not isinstance(doc.get("issuer"), dict):
        doc["issuer"] = {"id": urls.issuer_id(org.slug), "type": ["Profile"], "name": org.name}
    errors = documents.validate_schema(doc)
    if errors:
        shown = "; ".join(errors[:3])
        raise BadRequest("ob3_schema", f"Voldoet niet aan het OB 3.0-schema: {shown}",
                         f"Does not conform to the OB 3.0 schema: {shown}")


def _add_status(org: Organisation, doc: dict[str, Any]) -> None:
    """Give a VC 2.0 credential a revocation and a suspension entry in ``org``'s lists, so
    the issuer can change its status later (``update_status``); an ``id`` if it has none.
    An Open Badge gets the revocation entry only: OB 3.0 allows one status object."""
    if not isinstance(doc.get("id"), str):
        doc["id"] = f"urn:uuid:{uuid.uuid4()}"
    (revocation, r_index), = status_lists.allocate(org, StatusPurpose.REVOCATION)
    row = VcApiCredential(organisation_id=org.id, credential_id=doc["id"][:500],
                          revocation_list_id=revocation.id, revocation_index=r_index)
    if OB3_TYPES & set(_types(doc)):
        doc["credentialStatus"] = status_lists.entry(revocation, r_index)
    else:
        (suspension, s_index), = status_lists.allocate(org, StatusPurpose.SUSPENSION)
        doc["credentialStatus"] = [status_lists.entry(revocation, r_index),
                                   status_lists.entry(suspension, s_index)]
        row.suspension_list_id, row.suspension_index = suspension.id, s_index
    db.session.add(row)


def update_status(org: Organisation, credential_id: str, purpose: str, value: bool) -> None:
    """Revoke or suspend (or lift a suspension of) a credential signed here; audited."""
    rows = db.session.scalars(db.select(VcApiCredential).filter_by(
        organisation_id=org.id, credential_id=credential_id)).all()
    if not rows:
        raise NotFound("No credential with this id was signed here by this organisation.")
    if purpose == "revocation" and not value:
        raise BadRequest("irreversible", "Intrekken kan niet ongedaan worden gemaakt.",
                         "A revocation cannot be undone.")
    for row in rows:
        if purpose == "revocation":
            status_lists.set_bit(row.revocation_list_id, row.revocation_index, True)
        elif row.suspension_list_id is None or row.suspension_index is None:
            raise BadRequest("not_suspendable",
                             "Dit credential kan alleen worden ingetrokken, niet geschorst.",
                             "This credential can only be revoked, not suspended.", status=409)
        else:
            status_lists.set_bit(row.suspension_list_id, row.suspension_index, value)
    audit.record(f"vcapi.status.{purpose}", organisation_id=org.id, subject_type="credential",
                 subject_id=credential_id[:200], value=value)
    events.commit()


def publish_list(list_uuid: str) -> None:
    """Sign and store a status list's current bits now (the suite's publish step)."""
    row = db.session.scalar(db.select(StatusList).filter_by(uuid=list_uuid))
    if row is None:
        raise NotFound("No such status list.")
    status_lists.published_credential(row)


def _message(result: Any) -> dict[str, Any]:
    return {"id": result.id, "code": result.code or result.id,
            "message": result.message_en, "message_nl": result.message_nl}


def vc_api_answer(report: Report) -> dict[str, Any]:
    """The VC-API verification result: passed checks by name, warnings and errors."""
    return {
        "verified": report.verified,
        "checks": [c.id for c in report.checks if c.status == "pass"],
        "warnings": [_message(c) for c in report.checks if c.status == "warning"],
        "errors": [_message(c) for c in report.checks if c.status == "fail"],
    }


def verify_credential(credential: dict[str, Any]) -> dict[str, Any]:
    """Verify any VC (badges with OB 3.0 rules) and answer in the VC-API shape."""
    token = enveloped_jwt(credential)
    return vc_api_answer(verify_with_facts(token if token is not None else credential,
                                           profile="vc").report)


def _error(code: str, en: str, nl: str) -> dict[str, Any]:
    return {"id": "presentation", "code": code, "message": en, "message_nl": nl}


def _presentation_proof(vp: dict[str, Any], options: dict[str, Any]) -> list[dict[str, Any]]:
    """Errors of the presentation's own proofs (none when it carries no proof)."""
    try:
        proofs = data_integrity.proofs_of(vp)
    except data_integrity.ProofError as exc:
        return [_error(exc.code, exc.message_en, exc.message_nl)]
    resolver = ChainResolver(default_key_resolver())
    errors = []
    for proof in proofs:
        challenge = options.get("challenge")
        if challenge is not None and proof.get("challenge") != challenge:
            errors.append(_error("challenge_mismatch", "The proof's challenge does not match.",
                                 "De challenge van het bewijs klopt niet."))
            continue
        method = proof.get("verificationMethod")
        resolved = resolver.resolve(method) if isinstance(method, str) else None
        if resolved is None:
            errors.append(_error("unknown_key", "The holder's key cannot be found.",
                                 "De sleutel van de houder is niet te vinden."))
            continue
        try:
            data_integrity.verify_proof(vp, proof, resolved.public_key)
        except data_integrity.ProofError as exc:
            errors.append(_error(exc.code, exc.message_en, exc.message_nl))
    return errors


def verify_presentation(vp: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Verify a presentation: its proof when present, and every credential inside."""
    types = vp.get("type")
    types = types if isinstance(types, list) else [types]
    errors: list[dict[str, Any]] = []
    if "VerifiablePresentation" not in types:
        errors.append(_error("bad_type", "'type' must include 'VerifiablePresentation'.",
                             "'type' moet 'VerifiablePresentation' bevatten."))
    contexts = vp.get("@context")
    contexts = contexts if isinstance(contexts, list) else [contexts]
    if not contexts or contexts[0] not in (VC_V1, VC_V2):
        errors.append(_error("bad_context", "The first @context must be the VC data model's.",
                             "De eerste @context moet die van het VC-datamodel zijn."))
    errors += _presentation_proof(vp, options)
    inner = vp.get("verifiableCredential", [])
    inner = inner if isinstance(inner, list) else [inner]
    credential_results = []
    for credential in inner:
        if not isinstance(credential, dict):
            errors.append(_error("bad_credential", "An embedded credential is not an object.",
                                 "Een ingesloten credential is geen object."))
            continue
        result = verify_credential(credential)
        credential_results.append(result)
        if not result["verified"]:
            errors.append(_error("credential_not_verified",
                                 "A credential in the presentation does not verify.",
                                 "Een credential in de presentatie klopt niet."))
    checks = ["presentation"] + (["proof"] if "proof" in vp and not errors else [])
    return {"verified": not errors, "checks": checks if not errors else [],
            "warnings": [], "errors": errors, "credentialResults": credential_results}
