"""The verification report as ``POST /api/v1/verify`` sends it, as marshmallow schemas.

The report is made by the engine (``credentials.verify.report.Report.to_dict``)
and extended by ``outcome.Outcome.as_api``; these schemas describe that shape
for the OpenAPI document. ``tests/api/test_openapi.py`` checks real answers
against them, so a field added to the report without a line here fails there.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from badges.credentials.verify.report import VERDICT_ORDER
from badges.verification.outcome import KINDS, TRUST_LEVELS


def _text(description: str = "") -> fields.String:
    return fields.String(allow_none=True, metadata={"description": description} if description
                         else {})


class BilingualSchema(Schema):
    """One text in Dutch and in English."""

    class Meta:
        unknown = RAISE

    nl = fields.String(required=True)
    en = fields.String(required=True)


class CheckSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(required=True, metadata={
        "description": "Which check: input, type, proof, key_binding, issuer_match, status, …"})
    status = fields.String(required=True, validate=validate.OneOf(
        ["pass", "fail", "warning", "skipped"]))
    fatal = fields.Boolean(required=True)
    message = fields.Nested(BilingualSchema, required=True)
    code = fields.String(metadata={"description": "Why, for programs; stable."})


class ReportIssuerSchema(Schema):
    id = _text()
    name = _text()


class ReportAchievementSchema(Schema):
    id = _text()
    name = _text()
    type = _text("achievementType")
    description = _text()
    criteria = _text()
    humanCode = _text()
    fieldOfStudy = _text()
    creditsAvailable = fields.Float(allow_none=True)
    translations = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": "Wording in other languages where the credential has it "
                                 "(language-tagged values), e.g. {\"en\": {\"name\": …, "
                                 "\"description\": …, \"criteria\": …}}; name, description "
                                 "and criteria above are Dutch first."})


class IdentitySchema(Schema):
    type = _text()
    hashed = fields.Boolean()
    value = _text("Empty when hashed.")


class ReportRecipientSchema(Schema):
    id = _text()
    name = _text()
    identities = fields.List(fields.Nested(IdentitySchema))
    hashed = fields.Boolean()
    display = _text("What to show for the recipient.")


class SkillSchema(Schema):
    name = _text()
    name_en = _text("The name in English, when the credential has it.")
    framework = _text()
    code = _text()
    url = _text()


class ReportEvidenceSchema(Schema):
    id = _text()
    name = _text()
    description = _text()
    narrative = _text()
    genre = _text("What kind of evidence; \"Beoordelaar\" names who assessed.")


class ReportResultSchema(Schema):
    value = _text()
    status = _text()


class ReportEndorsementSchema(Schema):
    issuer = _text()
    comment = _text()


class ReportCredentialSchema(Schema):
    """What a person needs to see about the credential (empty when it could not be read)."""

    id = _text()
    name = _text()
    type = fields.List(fields.String())
    issuer = fields.Nested(ReportIssuerSchema)
    achievement = fields.Nested(ReportAchievementSchema)
    recipient = fields.Nested(ReportRecipientSchema)
    source = fields.Nested(ReportIssuerSchema, metadata={
        "description": "The organisation that assessed on the issuer's behalf (credentialSubject.source)."})
    validFrom = _text()
    validUntil = _text()
    awardedDate = _text()
    skills = fields.List(fields.Nested(SkillSchema))
    evidence = fields.List(fields.Nested(ReportEvidenceSchema))
    results = fields.List(fields.Nested(ReportResultSchema))
    endorsements = fields.List(fields.Nested(ReportEndorsementSchema))


class IssuerTrustSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(
        ["verified", "known", "claimed", "unknown"]), metadata={"description": (
            "verified: an organisation here, signed with its key, checked by the platform; "
            "known: the same, not checked by the platform; claimed: names one of ours but "
            "their key did not sign it; unknown: an issuer elsewhere.")})
    id = _text()
    name = _text()
    slug = _text()
    platform_verified = fields.Boolean()
    brin = _text()
    kvk = _text()
    city = _text()


class SignerSchema(Schema):
    """One Data Integrity proof's signer; a co-issued credential has one per organisation."""

    verificationMethod = _text()
    controller = _text()
    id = _text("The signer's id (the key's controller).")
    role = fields.String(validate=validate.OneOf(["issuer", "co-signer"]))
    status = fields.String(validate=validate.OneOf(["verified", "unchecked"]), metadata={
        "description": "unchecked: we could not find this signer's key (a broken proof makes "
                       "the whole credential invalid instead)."})
    confirmed = fields.Boolean()
    compromised = fields.Boolean()
    state = fields.String(validate=validate.OneOf(["verified", "known", "claimed", "unknown"]),
                          metadata={"description": "As issuer_trust.state, for this signer."})
    level = fields.String(validate=validate.OneOf(TRUST_LEVELS),
                          metadata={"description": "As issuerTrust, for this signer."})
    name = _text()
    slug = _text()
    brin = _text()
    kvk = _text()


class InputDigestSchema(Schema):
    class Meta:
        unknown = RAISE

    sha256 = fields.String(required=True)
    bytes = fields.Integer(required=True)


class VerifyReportSchema(Schema):
    """``POST /api/v1/verify``: the report on anything that could be read as a credential."""

    class Meta:
        unknown = RAISE

    verified = fields.Boolean(required=True, metadata={
        "description": "True only when status is valid."})
    status = fields.String(required=True, validate=validate.OneOf(VERDICT_ORDER))
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICT_ORDER),
                            metadata={"description": "The same as status."})
    format = fields.String(allow_none=True, validate=validate.OneOf(
        ["json-ld", "jwt", "ob2-signed", "ob2-hosted"]), metadata={"description": "null when unreadable."})
    container = fields.String(allow_none=True, validate=validate.OneOf(["png", "svg"]),
                              metadata={"description": "Set when the credential was baked."})
    checks = fields.List(fields.Nested(CheckSchema), required=True)
    credential = fields.Nested(ReportCredentialSchema, required=True)
    signers = fields.List(fields.Nested(SignerSchema), metadata={
        "description": "Who signed: one entry per Data Integrity proof (empty for a JWT)."})
    summary = fields.Nested(BilingualSchema, required=True, metadata={
        "description": "One plain sentence about the verdict."})
    outcome = fields.String(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "The kind of answer (tampered, not_signed, … are kinds of invalid)."})
    issuerTrust = fields.String(required=True, validate=validate.OneOf(TRUST_LEVELS), metadata={
        "description": "Who signed it: known (an organisation here, with its key), unconfirmed "
                       "(a key tied to no organisation here) or impersonation (names one of ours, "
                       "not signed by its keys; never verified)."})
    issuer_trust = fields.Nested(IssuerTrustSchema, required=True)
    input = fields.Nested(InputDigestSchema, required=True)
