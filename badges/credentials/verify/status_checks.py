"""The credential status check: Bitstring Status List revocation and suspension.

Kept apart from the other checks because it is the one that reaches outside
the credential (to a list document) and has to decide how far to trust what
it finds there.
"""

from __future__ import annotations

from typing import Any

from badges.credentials import status_list as sl
from badges.credentials.canon import CanonicalizationError
from badges.credentials.data_integrity import ProofError, verify_proof
from badges.credentials.verify.checks import (
    SUPPORTED_SUITES,
    Check,
    CheckResult,
    VerifyContext,
    as_list,
    issuer_id,
    parse_date,
)


class StatusCheck(Check):
    """Guards against relying on a revoked or suspended credential (the issuer withdrew it)."""

    id = "status"

    def run(self, ctx: VerifyContext) -> CheckResult:
        entries = as_list((ctx.credential or {}).get("credentialStatus"))
        # Older credentials carry only their revocation entry; an issuer's own service
        # may know more (suspension) and hand them in here (each entry is read once).
        extra = getattr(ctx.status_resolver, "extra_entries", None)
        credential_id = (ctx.credential or {}).get("id")
        if extra is not None and isinstance(credential_id, str):
            entries = [*entries, *(e for e in extra(credential_id) if e not in entries)]
        if not entries:
            return self.skip("Geen statusinformatie (kan niet worden ingetrokken).",
                             "No status information (cannot be revoked).")
        outcome: CheckResult | None = None
        for entry in entries:
            result = self._entry(ctx, entry)
            if result.status == "fail":
                return result
            if outcome is None or result.status == "warning":
                outcome = result
        assert outcome is not None
        return outcome

    def _entry(self, ctx: VerifyContext, entry: Any) -> CheckResult:
        try:
            url, index, purpose = sl.parse_entry(entry)
        except sl.StatusListError as exc:
            return self.warn(f"Status niet te controleren: {exc.message_nl}",
                             f"Status cannot be checked: {exc.message_en}", "indeterminate")
        listed = ctx.status_resolver.fetch(url) if ctx.status_resolver else None
        if listed is None:
            return self.warn("De statuslijst is niet bereikbaar; intrekking niet te controleren.",
                             "The status list is unreachable; revocation cannot be checked.",
                             "indeterminate")
        trust = self._list_proof(ctx, listed)
        if trust is not None:
            return trust
        list_end = parse_date(listed.get("validUntil"))
        if list_end is not None and ctx.reached(list_end):
            return self.warn("De statuslijst is verouderd (validUntil verstreken).",
                             "The status list is out of date (validUntil has passed).",
                             "indeterminate")
        try:
            is_set = sl.read_status(listed, index, purpose)
        except sl.StatusListError as exc:
            return self.warn(f"Statuslijst onleesbaar: {exc.message_nl}",
                             f"Status list unreadable: {exc.message_en}", "indeterminate")
        if is_set and purpose == "revocation":
            return self.fail("De uitgever heeft deze credential ingetrokken.",
                             "The issuer has revoked this credential.", "revoked")
        if is_set and purpose == "suspension":
            return self.fail("De uitgever heeft deze credential geschorst.",
                             "The issuer has suspended this credential.", "suspended")
        if is_set:
            return self.warn(f"Statusbit '{purpose}' staat aan.", f"Status bit '{purpose}' is set.")
        return self.ok("Niet ingetrokken of geschorst.", "Not revoked or suspended.")

    def _list_proof(self, ctx: VerifyContext, listed: dict[str, Any]) -> CheckResult | None:
        """A list signed by someone else, or altered, cannot clear a credential."""
        proofs = [p for p in as_list(listed.get("proof")) if isinstance(p, dict)
                  and p.get("cryptosuite") in SUPPORTED_SUITES]
        for proof in proofs:
            method = proof.get("verificationMethod")
            resolved = ctx.key_resolver.resolve(method) if isinstance(method, str) else None
            if resolved is None:
                continue
            try:
                verify_proof(listed, proof, resolved.public_key)
            except (ProofError, CanonicalizationError):
                return self.warn("De handtekening van de statuslijst klopt niet.",
                                 "The status list's signature does not verify.", "indeterminate")
            if resolved.controller and resolved.controller != issuer_id(ctx.credential or {}):
                return self.warn("De statuslijst is door een andere partij ondertekend.",
                                 "The status list was signed by another party.", "indeterminate")
        return None
