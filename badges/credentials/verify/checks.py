"""The verification checks for Open Badges 3.0, one small unit each.

A check reads the shared ``VerifyContext``, may add to it (the proof check
records which key signed), and returns one ``CheckResult``. Each result
carries a ``verdict`` hint when it affects the outcome (``invalid``,
``revoked``, ``expired``, ``indeterminate`` ...); the pipeline combines the
hints by precedence. Every check's docstring names the threat it guards
against, so a reviewer can see why it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from badges.credentials import loader
from badges.credentials.canon import CanonicalizationError
from badges.credentials.data_integrity import LEGACY_ED25519_2020, ProofError, verify_proof
from badges.credentials.jwt import decode_vc_jwt, public_key_from_jwk, verify_vc_jwt
from badges.credentials.verify.resolvers import KeyResolver, ResolvedKey, StatusResolver

OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential",
                       "EndorsementCredential", "ClrCredential"})
#: Other credentials an Open Badges issuer publishes and a verifier may be shown.
PUBLISHED_TYPES = frozenset({"BitstringStatusListCredential"})
VCDM1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
SUPPORTED_SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")  # a tuple: safe for `in` with any JSON


@dataclass
class CheckResult:
    id: str
    status: str  # pass | fail | warning | skipped
    fatal: bool
    message_nl: str
    message_en: str
    verdict: str | None = None
    code: str | None = None  # why, for programs: stable where the messages may change

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "status": self.status, "fatal": self.fatal,
               "message": {"nl": self.message_nl, "en": self.message_en}}
        if self.code:
            out["code"] = self.code
        return out


@dataclass
class VerifyContext:
    """Inputs of one verification and what the checks learn along the way."""

    data: Any
    key_resolver: KeyResolver
    status_resolver: StatusResolver | None = None
    fetcher: Any = None
    recipient_email: str | None = None
    # "ob3": an Open Badge (OB 3.0 rules); "vc": any VC, OB 3.0 rules only for badges
    profile: str = "ob3"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    format: str | None = None
    container: str | None = None
    credential: dict[str, Any] | None = None
    token: str | None = None
    hosted_url: str | None = None
    resolved: ResolvedKey | None = None
    proof_verified: bool = False
    stop: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # Every moment the answer was compared with ``now``: the same input gets the
    # same answer until ``now`` passes one of them (a cache can rely on that).
    time_edges: list[datetime] = field(default_factory=list)

    def reached(self, moment: datetime) -> bool:
        """Has ``moment`` come (``moment <= now``)? Remembers it as a time edge."""
        self.time_edges.append(moment)
        return moment <= self.now


class Check:
    """Base: subclasses set ``id``/``fatal`` and implement ``run``.

    ``fatal`` marks checks whose failure alone makes the credential invalid
    (input, type, proof). Later checks still run after such a failure so the
    report explains everything it can; only unusable input stops the run.
    """

    id: ClassVar[str] = ""
    fatal: ClassVar[bool] = False

    def run(self, ctx: VerifyContext) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def ok(self, nl: str, en: str) -> CheckResult:
        return CheckResult(self.id, "pass", self.fatal, nl, en)

    def fail(self, nl: str, en: str, verdict: str = "invalid", *,
             code: str | None = None) -> CheckResult:
        return CheckResult(self.id, "fail", self.fatal, nl, en, verdict, code)

    def warn(self, nl: str, en: str, verdict: str | None = None) -> CheckResult:
        return CheckResult(self.id, "warning", self.fatal, nl, en, verdict)

    def skip(self, nl: str, en: str) -> CheckResult:
        return CheckResult(self.id, "skipped", self.fatal, nl, en)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def issuer_id(doc: dict[str, Any]) -> str | None:
    issuer = doc.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    return issuer if isinstance(issuer, str) else None


def parse_date(value: Any) -> datetime | None:
    """XML Schema dateTime (or OB 1.x epoch seconds) as an aware datetime."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class TypeCheck(Check):
    """Guards against a different kind of document (or a non-OB VC) passed off as a badge,
    and against contexts we cannot pin (their meaning, and so what was signed, could change)."""

    id, fatal = "type", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        doc = ctx.credential or {}
        types = {t for t in as_list(doc.get("type")) if isinstance(t, str)}
        if "VerifiableCredential" not in types or not (OB3_TYPES | PUBLISHED_TYPES) & types:
            return self.fail("Dit is geen Open Badges 3.0-credential (type ontbreekt).",
                             "This is not an Open Badges 3.0 credential (type missing).")
        contexts = as_list(doc.get("@context"))
        unknown = [c for c in contexts if isinstance(c, str) and c not in loader.CONTEXT_FILES]
        if contexts and contexts[0] == VCDM1_CONTEXT:
            return self.warn("Oudere vorm (VC Data Model 1.1); niet alle controles zijn mogelijk.",
                             "Older form (VC Data Model 1.1); not every check applies.")
        if not contexts or contexts[0] != loader.VC_V2 or unknown or any(
                not isinstance(c, str) for c in contexts):
            return self.warn("Onbekende of ontbrekende @context; de betekenis is niet vastgepind.",
                             "Unknown or missing @context; its meaning is not pinned.")
        return self.ok("Type en @context zijn herkend.", "Type and @context are recognised.")


class VcDataModelCheck(Check):
    """Guards against documents that are not Verifiable Credentials at all (the VC-API
    verifies any VC, not only badges): the type, a pinned base context, an issuer and a
    subject are what every conforming verifier requires."""

    id, fatal = "type", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        doc = ctx.credential or {}
        types = {t for t in as_list(doc.get("type")) if isinstance(t, str)}
        contexts = as_list(doc.get("@context"))
        if "VerifiableCredential" not in types:
            return self.fail("Dit is geen verifieerbare credential (type ontbreekt).",
                             "This is not a Verifiable Credential (type missing).",
                             code="not_a_credential")
        if not contexts or contexts[0] not in (loader.VC_V2, VCDM1_CONTEXT):
            return self.fail("De eerste @context moet die van het VC-datamodel zijn.",
                             "The first @context must be the VC data model's.",
                             code="bad_context")
        unknown = [c for c in contexts if isinstance(c, str) and c not in loader.CONTEXT_FILES]
        if unknown:
            return self.fail(f"Onbekende @context: {unknown[0]}.",
                             f"Unknown @context: {unknown[0]}.", code="unknown_context")
        if issuer_id(doc) is None or ":" not in (issuer_id(doc) or ""):
            return self.fail("De credential noemt geen geldige uitgever (issuer).",
                             "The credential names no valid issuer.", code="bad_issuer")
        subjects = as_list(doc.get("credentialSubject"))
        if not subjects or not all(isinstance(s, dict) and s for s in subjects):
            return self.fail("De credential heeft geen onderwerp (credentialSubject).",
                             "The credential has no subject (credentialSubject).",
                             code="bad_subject")
        from badges.credentials.verify import vc_model

        broken = vc_model.problems(doc)
        if broken:
            return self.fail(broken[0][0], broken[0][1], code="data_model")
        return self.ok("Type en @context zijn herkend.", "Type and @context are recognised.")


class SchemaCheck(Check):
    """Guards against structurally broken credentials that other verifiers would reject
    or display wrongly (a missing issuer name, a subject without achievement)."""

    id = "schema"

    def run(self, ctx: VerifyContext) -> CheckResult:
        doc = ctx.credential or {}
        if VCDM1_CONTEXT in as_list(doc.get("@context")):
            return self.warn("Schema niet toegepast: credential in VC 1.1-vorm.",
                             "Schema not applied: credential uses the VC 1.1 form.")
        if "ClrCredential" in as_list(doc.get("type")):  # CLR 2.0 has its own shape
            from badges.credentials.verify.clr_checks import clr_shape_errors

            clr_errors = clr_shape_errors(doc)
            if clr_errors:
                shown = "; ".join(clr_errors[:3])
                return self.fail(f"Geen geldige CLR 2.0-vorm: {shown}",
                                 f"Not a valid CLR 2.0 shape: {shown}")
            return self.ok("Voldoet aan de CLR 2.0-vorm.", "Has the CLR 2.0 shape.")
        from badges.credentials import status_list

        if status_list.is_list_credential(doc):
            list_errors = status_list.list_shape_errors(doc)
            if list_errors:
                shown = "; ".join(list_errors[:3])
                return self.fail(f"Geen geldige statuslijst: {shown}",
                                 f"Not a valid status list: {shown}")
            return self.ok("Voldoet aan de vorm van een W3C-statuslijst.",
                           "Has the shape of a W3C status list.")
        from badges.credentials import documents  # jsonschema is heavy; load on first use
        from badges.credentials.endorsement import is_endorsement, validate_endorsement

        # The official schema covers AchievementCredential only; an endorsement
        # is checked against its own (OB 3.0 EndorsementCredential) shape.
        errors = (validate_endorsement(doc) if is_endorsement(doc)
                  else documents.validate_schema(doc))
        if errors:
            shown = "; ".join(errors[:3])
            return self.fail(f"Voldoet niet aan het OB 3.0-schema: {shown}",
                             f"Does not conform to the OB 3.0 schema: {shown}")
        return self.ok("Voldoet aan het OB 3.0-schema.", "Conforms to the OB 3.0 schema.")


class ProofCheck(Check):
    """Guards against forged or altered credentials: the signature must verify over exactly
    this content, with a key we can find. No signature at all is a failure, never a pass."""

    id, fatal = "proof", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        if ctx.format == "jwt":
            return self._jwt(ctx)
        doc = ctx.credential or {}
        proofs = [p for p in as_list(doc.get("proof")) if isinstance(p, dict)]
        if not proofs:
            return self.fail("Niet ondertekend: de credential heeft geen bewijs (proof).",
                             "Not signed: the credential has no proof.", code="missing_proof")
        usable = [p for p in proofs if (p.get("type") == "DataIntegrityProof"
                                        and p.get("cryptosuite") in SUPPORTED_SUITES)
                  or p.get("type") == LEGACY_ED25519_2020]
        if not usable:
            return self.warn("Ondertekend met een methode die wij niet ondersteunen.",
                             "Signed with a method we do not support.", "indeterminate")
        verified: list[ResolvedKey] = []
        issuer = issuer_id(doc)
        signers: list[dict[str, Any]] = ctx.extra.setdefault("signers", [])
        for proof in usable:
            if proof.get("proofPurpose") != "assertionMethod":
                return self.fail("Het bewijs is niet bedoeld voor uitgifte (proofPurpose).",
                                 "The proof is not meant for issuing (proofPurpose).")
            method = proof.get("verificationMethod")
            resolved = ctx.key_resolver.resolve(method) if isinstance(method, str) else None
            signers.append(_signer(method, resolved, issuer))
            if resolved is None:
                continue
            try:
                verify_proof(doc, proof, resolved.public_key)
            except CanonicalizationError as exc:
                return self.fail(f"De credential kan niet worden gecanonicaliseerd: {exc}",
                                 f"The credential cannot be canonicalised: {exc}",
                                 code="canonicalization_failed")
            except ProofError as exc:
                if getattr(exc, "canon_code", None) == "unknown_context":
                    return self._unknown_context(exc)
                return self.fail(exc.message_nl, exc.message_en, code=exc.code)
            verified.append(resolved)
            signers[-1]["status"] = "verified"
        if not verified:
            return self.warn("De sleutel van de ondertekenaar is niet te vinden; de handtekening"
                             " kon niet worden gecontroleerd.",
                             "The signer's key cannot be found; the signature could not be"
                             " checked.", "indeterminate")
        # In a proof set (a co-signer's or witness's proof beside the issuer's) the issuer's
        # own key is the one the later checks judge: prefer it, then confirmed and
        # uncompromised keys. Every other proof was checked too (any failure fails above).
        verified.sort(key=lambda r: (r.controller != issuer, not r.confirmed, r.compromised))
        ctx.resolved, ctx.proof_verified = verified[0], True
        return self.ok("De handtekening klopt.", "The signature is correct.")

    def _unknown_context(self, exc: ProofError) -> CheckResult:
        """Cannot tell, rather than "altered": what the credential means depends on a
        context we do not have, so what was signed cannot be reconstructed."""
        url = getattr(exc, "canon_term", None) or "?"
        return self.warn(
            f"De credential gebruikt een context die wij niet kennen ({url}); daarom kan de"
            " handtekening niet worden gecontroleerd.",
            f"The credential uses a context we do not know ({url}), so its signature cannot"
            " be checked.", "indeterminate")

    def _jwt(self, ctx: VerifyContext) -> CheckResult:
        token = ctx.token or ""
        header, _payload, _credential = decode_vc_jwt(token)
        resolved: ResolvedKey | None = None
        kid = header.get("kid")
        if isinstance(kid, str):
            resolved = ctx.key_resolver.resolve(kid)
        if resolved is None and "jwk" in header:
            try:
                resolved = ResolvedKey(public_key_from_jwk(header["jwk"]), None,
                                       confirmed=False, source="jwk")
            except ProofError as exc:
                return self.fail(exc.message_nl, exc.message_en, code=exc.code)
        if resolved is None:
            return self.warn("Het JWT noemt geen sleutel die wij kunnen vinden; de handtekening"
                             " kon niet worden gecontroleerd.",
                             "The JWT names no key we can find; the signature could not be"
                             " checked.", "indeterminate")
        try:
            verify_vc_jwt(token, resolved.public_key)
        except ProofError as exc:
            return self.fail(exc.message_nl, exc.message_en, code=exc.code)
        ctx.resolved, ctx.proof_verified = resolved, True
        return self.ok("De handtekening van het JWT klopt.", "The JWT signature is correct.")


def _signer(method: Any, resolved: ResolvedKey | None, issuer: str | None) -> dict[str, Any]:
    """Who made one proof of a proof set, as the report names it (``status`` is
    ``unchecked`` until the proof verifies: a key we cannot find proves nothing)."""
    controller = resolved.controller if resolved is not None else None
    if controller is None and isinstance(method, str):
        controller = method.split("#", 1)[0] if "#" in method else None
    return {"verificationMethod": method if isinstance(method, str) else None,
            "controller": controller,
            "role": "issuer" if controller is not None and controller == issuer else "co-signer",
            "confirmed": bool(resolved and resolved.confirmed),
            "compromised": bool(resolved and resolved.compromised), "status": "unchecked"}


class KeyBindingCheck(Check):
    """Guards against a correct signature by the wrong key: anyone can sign with a key they
    made up and name it after an issuer. Only a key we can tie to its controller counts."""

    id = "key_binding"

    def run(self, ctx: VerifyContext) -> CheckResult:
        key = ctx.resolved
        if key is None or not ctx.proof_verified:
            return self.skip("Niet van toepassing: geen gecontroleerde handtekening.",
                             "Not applicable: no checked signature.")
        if key.compromised:
            return self.fail("De sleutel is als gecompromitteerd gemeld.",
                             "The key has been reported as compromised.")
        if any(s["compromised"] and s["status"] == "verified"
               for s in ctx.extra.get("signers", [])):
            return self.fail("De sleutel van een mede-ondertekenaar is als gecompromitteerd "
                             "gemeld.", "A co-signer's key has been reported as compromised.")
        if key.confirmed:
            return self.ok("De sleutel hoort aantoonbaar bij de ondertekenaar.",
                           "The key demonstrably belongs to the signer.")
        return self.warn("Sleutelbinding niet bevestigd: niet na te gaan of deze sleutel van de"
                         " uitgever is.",
                         "Key binding unconfirmed: it cannot be confirmed that this key belongs"
                         " to the issuer.", "indeterminate")


class IssuerMatchCheck(Check):
    """Guards against impersonation: a genuine key of party A signing a credential that
    names party B as issuer. The key's controller must be the issuer."""

    id = "issuer_match"

    def run(self, ctx: VerifyContext) -> CheckResult:
        key, issuer = ctx.resolved, issuer_id(ctx.credential or {})
        if key is None or not ctx.proof_verified:
            return self.skip("Niet van toepassing: geen gecontroleerde handtekening.",
                             "Not applicable: no checked signature.")
        if issuer is None:
            return self.fail("De credential noemt geen uitgever.",
                             "The credential names no issuer.")
        if key.controller is None:
            return self.warn("Onbekend wie de sleutel beheert; niet te koppelen aan de uitgever.",
                             "Unknown who controls the key; cannot tie it to the issuer.",
                             "indeterminate")
        if key.controller == issuer:
            return self.ok("De sleutel is van de genoemde uitgever.",
                           "The key belongs to the named issuer.")
        if issuer.startswith("urn:"):
            return self.warn(f"De sleutel ({key.controller}) is niet te koppelen aan uitgever"
                             f" {issuer}.", f"The key ({key.controller}) cannot be tied to issuer"
                             f" {issuer}.", "indeterminate")
        return self.fail(f"De sleutel is van {key.controller}, niet van uitgever {issuer}.",
                         f"The key belongs to {key.controller}, not to issuer {issuer}.")


class ValidityCheck(Check):
    """Guards against accepting a credential outside the period its issuer vouches for."""

    id = "validity"

    def run(self, ctx: VerifyContext) -> CheckResult:
        doc = ctx.credential or {}
        start_raw = doc.get("validFrom", doc.get("issuanceDate", doc.get("issuedOn")))
        end_raw = doc.get("validUntil", doc.get("expirationDate", doc.get("expires")))
        start, end = parse_date(start_raw), parse_date(end_raw)
        if (start_raw is not None and start is None) or (end_raw is not None and end is None):
            return self.fail("Een datum in de credential is ongeldig.",
                             "A date in the credential is invalid.")
        if ctx.format == "jwt" and ctx.token:  # a JWT's own exp/nbf bind as well
            _header, payload, _cred = decode_vc_jwt(ctx.token)
            exp, nbf = parse_date(payload.get("exp")), parse_date(payload.get("nbf"))
            end = min((d for d in (end, exp) if d), default=None)
            start = max((d for d in (start, nbf) if d), default=None)
        if end is not None and ctx.reached(end):
            return self.fail(f"Verlopen op {end.date().isoformat()}.",
                             f"Expired on {end.date().isoformat()}.", "expired")
        if start is not None and not ctx.reached(start):
            return self.fail(f"Pas geldig vanaf {start.date().isoformat()}.",
                             f"Not valid until {start.date().isoformat()}.", "not_yet_valid")
        return self.ok("Binnen de geldigheidsperiode.", "Within its validity period.")


class RecipientCheck(Check):
    """Guards against someone presenting another person's badge as their own."""

    id = "recipient"

    def run(self, ctx: VerifyContext) -> CheckResult:
        if not ctx.recipient_email:
            return self.skip("Geen e-mailadres opgegeven om te vergelijken.",
                             "No e-mail address given to compare.")
        subject = (ctx.credential or {}).get("credentialSubject")
        subject = subject[0] if isinstance(subject, list) and subject else subject
        identities = [i for i in as_list(subject.get("identifier") if isinstance(subject, dict)
                                         else None)
                      if isinstance(i, dict) and i.get("identityType") == "emailAddress"
                      and isinstance(i.get("identityHash"), str)]
        if not identities:
            return self.warn("De credential noemt geen e-mailadres om mee te vergelijken.",
                             "The credential names no e-mail address to compare with.")
        from badges.credentials.documents import email_matches

        if any(email_matches(ident, ctx.recipient_email) for ident in identities):
            return self.ok("Het e-mailadres hoort bij de ontvanger.",
                           "The e-mail address matches the recipient.")
        return self.fail("Het e-mailadres hoort niet bij de ontvanger van deze credential.",
                         "The e-mail address does not match this credential's recipient.")
