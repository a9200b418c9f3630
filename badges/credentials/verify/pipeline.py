"""The verification orchestrator: input in, Report out, never an exception.

Order matters: input and format first (nothing else can run on garbage), then
type, schema and proof, then the checks that only mean something once we
know who signed (key binding, issuer match), then status, dates and the
optional recipient match. A fatal failure of the input stage stops the run;
later checks still run after other failures so the report explains as much
as it can. Any unexpected exception inside a check becomes a failed check
(verdict invalid), because a verifier that crashes on crafted input is a
denial-of-service, and one that crashes *open* is worse.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from badges.credentials.clr import is_clr
from badges.credentials.fetch import Fetcher
from badges.credentials.verify import ob2_checks
from badges.credentials.verify.checks import (
    Check,
    CheckResult,
    IssuerMatchCheck,
    KeyBindingCheck,
    ProofCheck,
    RecipientCheck,
    SchemaCheck,
    TypeCheck,
    ValidityCheck,
    VcDataModelCheck,
    VerifyContext,
    as_list,
)
from badges.credentials.verify.clr_checks import EmbeddedCredentialsCheck
from badges.credentials.verify.inputs import input_check
from badges.credentials.verify.report import (
    Report,
    combine,
    sentences,
    summarize_ob2,
    summarize_ob3,
)
from badges.credentials.verify.resolvers import (
    FetchingStatusResolver,
    KeyResolver,
    StatusResolver,
    default_key_resolver,
)
from badges.credentials.verify.status_checks import StatusCheck

log = logging.getLogger(__name__)

OB3_CHECKS: tuple[Check, ...] = (
    TypeCheck(), SchemaCheck(), ProofCheck(), KeyBindingCheck(), IssuerMatchCheck(),
    StatusCheck(), ValidityCheck(), RecipientCheck(),
)
OB2_CHECKS: tuple[Check, ...] = (
    ob2_checks.Ob2HostedUrlCheck(), ob2_checks.Ob2TypeCheck(), ob2_checks.Ob2SignatureCheck(),
    ob2_checks.Ob2BindingCheck(), ob2_checks.Ob2RevocationCheck(),
)

#: Any Verifiable Credential (the VC-API): the data model, proof, key, issuer, status, dates.
VC_CHECKS: tuple[Check, ...] = (
    VcDataModelCheck(), ProofCheck(), KeyBindingCheck(), IssuerMatchCheck(), StatusCheck(),
    ValidityCheck(),
)
_OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential",
                        "EndorsementCredential", "ClrCredential"})


def _run(check: Check, ctx: VerifyContext) -> CheckResult:
    try:
        return check.run(ctx)
    except Exception:  # the whole point: nothing escapes the pipeline
        log.exception("verification check %s crashed", check.id)
        return CheckResult(check.id, "fail", check.fatal,
                           "Onverwachte fout tijdens deze controle; de credential kan niet"
                           " worden vertrouwd.",
                           "Unexpected error during this check; the credential cannot be"
                           " trusted.", "invalid", "check_crashed")


def _checks_for(ctx: VerifyContext) -> tuple[Check, ...]:
    if ctx.format in ("ob2-signed", "ob2-hosted"):
        return (*OB2_CHECKS, ValidityCheck(), ob2_checks.Ob2RecipientCheck())
    if ctx.profile == "vc" and ctx.format in ("json-ld", "jwt") and not _OB3_TYPES & {
            t for t in as_list((ctx.credential or {}).get("type")) if isinstance(t, str)}:
        return VC_CHECKS
    if is_clr(ctx.credential):  # a CLR: also verify every embedded credential
        return (*OB3_CHECKS, EmbeddedCredentialsCheck())
    return OB3_CHECKS


def _summary(ctx: VerifyContext) -> dict[str, Any]:
    try:
        if ctx.credential is None:
            return {}
        if ctx.format in ("ob2-signed", "ob2-hosted"):
            parts = ctx.extra.get("ob2_parts")
            return summarize_ob2(ctx.credential, parts.badge if parts else None,
                                 parts.issuer if parts else None)
        return summarize_ob3(ctx.credential)
    except Exception:  # a summary is a courtesy; never fail the report on it
        log.exception("summary failed")
        return {}


def verify_context(ctx: VerifyContext, *, skip_input: bool = False) -> Report:
    """Run the suite on a prepared context (``verify_input`` and importers build one)."""
    results: list[CheckResult] = []
    if not skip_input:
        results.append(_run(input_check(), ctx))
    if not ctx.stop and ctx.credential is not None:
        _prepare(ctx)
    if not ctx.stop:
        for check in _checks_for(ctx):
            result = _run(check, ctx)
            results.append(result)
            if ctx.stop or ctx.credential is None:
                break
    verdict = combine(results)
    summary = _summary(ctx)
    try:
        nl, en = sentences(verdict, summary, results, ctx.proof_verified)
    except Exception:
        log.exception("summary sentence failed")
        nl, en = verdict, verdict
    return Report(verdict, ctx.format, results, summary, nl, en, container=ctx.container,
                  checked_at=ctx.now, time_edges=tuple(ctx.time_edges),
                  signers=list(ctx.extra.get("signers", [])))


def _prepare(ctx: VerifyContext) -> None:
    """Let the status resolver look up, at once, everything this credential will need.

    A resolver backed by a database reads all of it in one round trip instead
    of one query per key and list (see ``StatusResolver``). Only a courtesy:
    a failure here leaves the resolvers to look things up one by one.
    """
    prepare = getattr(ctx.status_resolver, "prepare", None)
    if prepare is None:
        return
    try:
        prepare(ctx.credential)
    except Exception:
        log.exception("status resolver prepare failed")


def verify_input(
    data: bytes | str | dict[str, Any],
    *,
    key_resolver: KeyResolver | None = None,
    status_resolver: StatusResolver | None = None,
    recipient_email: str | None = None,
    now: datetime | None = None,
    fetcher: Fetcher | None = None,
    profile: str = "ob3",
) -> Report:
    """Verify anything a visitor or an importer hands us; always returns a Report.

    ``profile="vc"`` verifies any Verifiable Credential; badges keep the OB 3.0 rules.
    """
    try:
        if status_resolver is None and fetcher is not None:
            status_resolver = FetchingStatusResolver(fetcher)
        if now is None:
            now = datetime.now(UTC)
        elif now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        ctx = VerifyContext(
            data=data,
            key_resolver=key_resolver or default_key_resolver(),
            status_resolver=status_resolver,
            fetcher=fetcher,
            recipient_email=recipient_email,
            profile=profile,
            now=now,
        )
        return verify_context(ctx)
    except Exception:  # last line of defence
        log.exception("verification pipeline crashed")
        failed = CheckResult("input", "fail", True, "Onverwachte fout bij het verifiëren.",
                             "Unexpected error while verifying.", "invalid")
        return Report("invalid", None, [failed], {}, "Ongeldig: onverwachte fout.",
                      "Invalid: unexpected error.")


def verify_credential_dict(doc: dict[str, Any], **options: Any) -> Report:
    """Verify an already-parsed credential (importers, the passport, our own issuance tests)."""
    return verify_input(doc, **options)
