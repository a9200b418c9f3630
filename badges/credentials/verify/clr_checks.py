"""Checks for Comprehensive Learner Records (``ClrCredential``, CLR 2.0).

A CLR's own proof says "the CLR issuer assembled this record"; it says
nothing about whether the credentials inside were really signed by their
issuers. So every embedded credential is verified on its own, with the same
key and status resolvers, and the CLR fails when one of them is forged or
altered. The OB 3.0 JSON Schema does not apply to a CLR; a small structural
check takes its place.
"""

from __future__ import annotations

from typing import Any

from badges.credentials.clr import embedded_credentials, is_clr
from badges.credentials.verify.checks import Check, CheckResult, VerifyContext, as_list

MAX_EMBEDDED = 200  # a passport export is large, but a verifier must stay bounded


def clr_shape_errors(doc: dict[str, Any]) -> list[str]:
    """Structural problems of a ClrCredential (empty when fine)."""
    errors = []
    if not isinstance(doc.get("issuer"), dict | str):
        errors.append("issuer: required")
    if not isinstance(doc.get("name"), str):
        errors.append("name: required")
    if not isinstance(doc.get("validFrom"), str):
        errors.append("validFrom: required")
    subjects = as_list(doc.get("credentialSubject"))
    subject = subjects[0] if subjects and isinstance(subjects[0], dict) else {}
    if "ClrSubject" not in as_list(subject.get("type")):
        errors.append("credentialSubject.type: must include ClrSubject")
    embedded = embedded_credentials(doc)
    if not embedded:
        errors.append("credentialSubject.verifiableCredential: at least one credential")
    for i, item in enumerate(as_list(subject.get("association"))):
        if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) for k in ("associationType", "sourceId", "targetId")):
            errors.append(f"credentialSubject.association/{i}: associationType, sourceId and"
                          " targetId are required")
    return errors


class EmbeddedCredentialsCheck(Check):
    """Guards against a CLR that wraps forged or altered credentials in a genuine outer
    signature: each embedded credential must verify against its own issuer's key."""

    id, fatal = "embedded", True

    def run(self, ctx: VerifyContext) -> CheckResult:
        from badges.credentials.verify.pipeline import verify_context  # circular at import

        embedded = embedded_credentials(ctx.credential or {})
        if len(embedded) > MAX_EMBEDDED:
            return self.fail(f"Te veel credentials in dit overzicht (meer dan {MAX_EMBEDDED}).",
                             f"Too many credentials in this record (more than {MAX_EMBEDDED}).")
        bad: list[str] = []
        notes: list[tuple[str, str]] = []
        for number, item in enumerate(embedded, start=1):
            if not isinstance(item, dict) or is_clr(item):
                bad.append(f"#{number}")
                continue
            inner = VerifyContext(data=item, key_resolver=ctx.key_resolver,
                                  status_resolver=ctx.status_resolver, fetcher=ctx.fetcher,
                                  now=ctx.now, time_edges=ctx.time_edges)
            report = verify_context(inner)
            label = f"#{number} ({str(item.get('name') or '')[:80]})"
            if report.verdict == "invalid":
                bad.append(label)
            elif report.verdict != "valid":
                notes.append((f"{label}: {report.verdict}", f"{label}: {report.verdict}"))
        if bad:
            shown = ", ".join(bad[:5])
            return self.fail(f"Niet elke credential in dit overzicht klopt: {shown}.",
                             f"Not every credential in this record verifies: {shown}.")
        if notes:
            unsure = any(n.endswith("indeterminate") for n, _ in notes)
            return self.warn("Geen credential is vervalst, maar niet alle zijn zonder voorbehoud geldig: "
                             + "; ".join(n for n, _ in notes[:5]) + ".",
                             "No credential is forged, but not all are valid without reservation: "
                             + "; ".join(e for _, e in notes[:5]) + ".",
                             "indeterminate" if unsure else None)
        return self.ok(f"Alle {len(embedded)} credentials in dit overzicht kloppen.",
                       f"All {len(embedded)} credentials in this record verify.")
