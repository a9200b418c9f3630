"""Checks for Open Badges 2.0 assertions (imported into passports, shown on /verify).

OB 2.0 trust rests on the network (the issuer's hosted copy, or a key
document on the issuer's origin). With fetching off, these checks say so and
the verdict becomes indeterminate: an old badge is never declared valid on
the strength of a local copy alone.
"""

from __future__ import annotations

from badges.credentials import ob2
from badges.credentials.fetch import FetchError
from badges.credentials.verify.checks import Check, CheckResult, VerifyContext, as_list


def _parts(ctx: VerifyContext) -> ob2.Ob2Parts:
    parts = ctx.extra.get("ob2_parts")
    if parts is None:
        parts = ob2.resolve_parts(ctx.credential or {}, ctx.fetcher)
        ctx.extra["ob2_parts"] = parts
    return parts


class Ob2HostedUrlCheck(Check):
    """Guards against treating a bare badge URL as evidence: it must be fetched to mean anything."""

    id, fatal = "ob2_fetch", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        if ctx.credential is not None or not ctx.hosted_url:
            return self.skip("Niet van toepassing.", "Not applicable.")
        try:
            if ctx.fetcher is None:
                raise FetchError("disabled", "", "")
            ctx.credential = ob2.fetch_hosted({"id": ctx.hosted_url}, ctx.fetcher)
        except (FetchError, ob2.Ob2Error):
            ctx.stop = True
            return self.warn("De badge staat online en kon niet worden opgehaald; niet te"
                             " controleren.", "The badge is hosted online and could not be"
                             " fetched; it could not be checked.", "indeterminate")
        return self.ok("Gehoste badge opgehaald.", "Hosted badge fetched.")


class Ob2TypeCheck(Check):
    """Guards against other JSON posing as an OB 2.0 badge."""

    id, fatal = "type", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        doc = ctx.credential or {}
        if "Assertion" not in as_list(doc.get("type")) or not all(
                k in doc for k in ("recipient", "badge", "verification")):
            return self.fail("Dit is geen geldige Open Badges 2.0-badge.",
                             "This is not a valid Open Badges 2.0 badge.")
        return self.ok("Open Badges 2.0-badge herkend.", "Open Badges 2.0 badge recognised.")


class Ob2SignatureCheck(Check):
    """Guards against forged signed badges: the RS256 signature must verify with the key
    named in ``verification.creator``."""

    id, fatal = "proof", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        if ctx.format != "ob2-signed":
            return self.skip("Niet van toepassing: gehoste badge.", "Not applicable: hosted badge.")
        if not ctx.token:
            return self.fail("Niet ondertekend: een ondertekende badge hoort als JWS te komen.",
                             "Not signed: a signed badge must be presented as a JWS.")
        parts = _parts(ctx)
        creator = (parts.assertion.get("verification") or {}).get("creator")
        resolved = ctx.key_resolver.resolve(creator) if isinstance(creator, str) else None
        if resolved is not None:
            key, confirmed = resolved.public_key, resolved.confirmed
        else:
            found = ob2.find_signing_key(parts, fetcher=ctx.fetcher)
            key, confirmed = found.pem, found.confirmed
        if key is None:
            return self.warn("De sleutel van de uitgever kon niet worden opgehaald; de"
                             " handtekening kon niet worden gecontroleerd.",
                             "The issuer's key could not be fetched; the signature could not be"
                             " checked.", "indeterminate")
        try:
            ob2.verify_signed(ctx.token, key)
        except ob2.Ob2Error as exc:
            return self.fail(exc.message_nl, exc.message_en)
        ctx.proof_verified = True
        ctx.extra["ob2_key_confirmed"] = confirmed
        return self.ok("De handtekening klopt.", "The signature is correct.")


class Ob2BindingCheck(Check):
    """Guards against a signature by a key the issuer never published (signed), or a local
    copy that the issuer's server does not confirm (hosted)."""

    id = "key_binding"

    def run(self, ctx: VerifyContext) -> CheckResult:
        if ctx.format == "ob2-signed":
            if not ctx.proof_verified:
                return self.skip("Niet van toepassing.", "Not applicable.")
            if ctx.extra.get("ob2_key_confirmed"):
                return self.ok("De sleutel hoort bij de uitgever.",
                               "The key belongs to the issuer.")
            return self.warn("Sleutelbinding niet bevestigd.", "Key binding unconfirmed.",
                             "indeterminate")
        if ctx.fetcher is None:
            return self.warn("Gehoste badge: kon niet worden gecontroleerd (ophalen staat uit).",
                             "Hosted badge: could not be checked (fetching is disabled).",
                             "indeterminate")
        try:
            hosted = ob2.fetch_hosted(ctx.credential or {}, ctx.fetcher)
        except (FetchError, ob2.Ob2Error):
            return self.warn("Gehoste badge: kon niet worden gecontroleerd.",
                             "Hosted badge: could not be checked.", "indeterminate")
        ctx.credential = hosted  # the issuer's copy is authoritative
        ctx.extra.pop("ob2_parts", None)
        if ob2.hosted_origin_ok(_parts(ctx)) is not True:
            return self.fail("De badge staat niet op het domein van de uitgever.",
                             "The badge is not hosted on the issuer's domain.")
        ctx.proof_verified = True
        return self.ok("Bevestigd door de server van de uitgever.",
                       "Confirmed by the issuer's server.")


class Ob2RevocationCheck(Check):
    """Guards against relying on a badge its issuer has revoked."""

    id = "status"

    def run(self, ctx: VerifyContext) -> CheckResult:
        revoked, reason = ob2.revocation(_parts(ctx), ctx.fetcher)
        if revoked is True:
            return self.fail(f"Ingetrokken door de uitgever. {reason}".strip(),
                             f"Revoked by the issuer. {reason}".strip(), "revoked")
        if revoked is None:
            return self.warn("De intrekkingslijst kon niet worden gelezen.",
                             "The revocation list could not be read.", "indeterminate")
        return self.ok("Niet ingetrokken.", "Not revoked.")


class Ob2RecipientCheck(Check):
    """Guards against someone presenting another person's badge as their own."""

    id = "recipient"

    def run(self, ctx: VerifyContext) -> CheckResult:
        if not ctx.recipient_email:
            return self.skip("Geen e-mailadres opgegeven om te vergelijken.",
                             "No e-mail address given to compare.")
        recipient = (ctx.credential or {}).get("recipient")
        if not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
            return self.warn("De badge noemt geen ontvanger.", "The badge names no recipient.")
        salt = recipient.get("salt") if isinstance(recipient.get("salt"), str) else None
        if ob2.identity_matches(recipient["identity"], recipient.get("hashed") is True, salt,
                                ctx.recipient_email):
            return self.ok("Het e-mailadres hoort bij de ontvanger.",
                           "The e-mail address matches the recipient.")
        return self.fail("Het e-mailadres hoort niet bij de ontvanger van deze badge.",
                         "The e-mail address does not match this badge's recipient.")
