"""One verification as the verify page, the API and the receipts see it.

The engine's report decides the verdict; this module adds what only this
service knows (is the issuer an organisation here, did the platform verify
it, does the credential borrow the name of one) and names the *kind* of
answer a person needs. A signature is only as good as what is known about
the key: a fresh ``did:key`` that calls itself "ROC De Maasvallei" verifies,
so who *signed* is stated apart (``issuerTrust``: known, unconfirmed or
impersonation), and an impersonation is never shown as valid.
Kinds: "tampered" and "not
signed" are both verdict ``invalid`` but call for different advice, and an
``indeterminate`` result must never be shown as valid. Nothing about the
verifier is stored: the input is hashed for the receipt and then dropped.

Answers are remembered per process (:class:`AnswerCache`): the same input
checked again gets the remembered answer only after the facts it was made
from are read again and found unchanged (keys, status-list versions, the
issuer's record: one query) and no date it was compared with has passed
since. A revocation is therefore seen by the very next check, as without
the cache. Only the input's hash is kept, never the input.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app

from badges.credentials.verify.checks import CheckResult
from badges.credentials.verify.report import STATUS_UNCHECKED, Report, status_unchecked
from badges.kernel import urls
from badges.verification.facts import Facts, Wanted, issuer_name
from badges.verification.services import Verification, verify_with_facts

# The kinds of answer, each with its own headline and advice in the UI.
KINDS = ("valid", "revoked", "suspended", "expired", "not_yet_valid", "tampered", "not_signed",
         "wrong_issuer", "compromised_key", "unreadable", "invalid", "key_unconfirmed",
         "not_checked", "indeterminate", "signed_unconfirmed", "impersonation")

#: ``issuerTrust``: signed by an organisation here / by a key tied to no one we know /
#: under the name of an organisation here, but not by its keys.
TRUST_LEVELS = ("known", "unconfirmed", "impersonation")

#: Kinds that already say "do not trust this"; a borrowed name does not change them.
DISTRUSTED = {"tampered", "not_signed", "wrong_issuer", "compromised_key", "unreadable",
              "invalid"}


@dataclass
class Outcome:
    report: dict
    kind: str
    trust: dict
    sha256: str
    size: int
    source: str
    local_uuid: str | None = None
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def verdict(self) -> str:
        return self.report["status"]

    @property
    def trust_level(self) -> str:
        return str(self.trust.get("level", "unconfirmed"))

    @property
    def status_checked(self) -> bool:
        """Did a status list tell us whether it was revoked or suspended?"""
        checks = [CheckResult(c.get("id", ""), c.get("status", ""), False, "", "")
                  for c in self.report.get("checks", [])]
        return not status_unchecked(checks)

    def as_api(self) -> dict:
        """The report dict plus what this service adds (extends, never renames).

        ``verified`` is false for an impersonation: a program that reads only that
        field must not accept a credential that borrows an organisation's name.
        """
        verified = self.report.get("verified") and self.trust_level != "impersonation"
        return {**self.report, "verified": bool(verified), "outcome": self.kind,
                "issuerTrust": self.trust_level, "issuer_trust": self.trust,
                "input": {"sha256": self.sha256, "bytes": self.size}}

    def api_json(self) -> str:
        """``as_api()`` as the API sends it (made once per answer, then reused)."""
        if self._api_json is None:
            self._api_json = current_app.json.dumps(self.as_api()) + "\n"
        return self._api_json

    _api_json: str | None = field(default=None, repr=False, compare=False)


def _check(report: dict, check_id: str) -> dict | None:
    return next((c for c in report.get("checks", []) if c.get("id") == check_id), None)


#: Proof failures that say nothing about whether the credential was altered.
UNPROCESSABLE = {"canonicalization_failed", "check_crashed"}


def classify(report: dict) -> str:
    """The kind of answer for a report (see KINDS)."""
    verdict = report.get("status")
    if verdict in ("valid", "revoked", "suspended", "expired", "not_yet_valid"):
        return verdict
    failed = {c["id"]: c for c in report.get("checks", []) if c.get("status") == "fail"}
    warned = {c["id"]: c for c in report.get("checks", []) if c.get("status") == "warning"}
    if verdict == "invalid":
        if "input" in failed or ("type" in failed and report.get("format") is None):
            return "unreadable"
        if "proof" in failed:
            code = failed["proof"].get("code")
            if code == "missing_proof":
                return "not_signed"
            if code in UNPROCESSABLE:
                return "invalid"  # refused as too complex or broken, not proven altered
            return "tampered"
        if "key_binding" in failed:
            return "compromised_key"
        if "issuer_match" in failed:
            return "wrong_issuer"
        return "invalid"
    proof_ok = (_check(report, "proof") or {}).get("status") == "pass"
    if proof_ok and warned.keys() & {"key_binding", "issuer_match"}:
        return "key_unconfirmed"
    if warned.keys() & {"ob2_fetch", "proof", "key_binding", "status"}:
        return "not_checked"
    return "indeterminate"


def only_address_differs(outcome: Outcome) -> bool:
    """True when the one thing wrong is the e-mail address the visitor typed.

    The credential itself may then be genuine: the page answers that question
    apart from "was it issued to this address" (the API keeps its one verdict).
    """
    failed = {c.get("id") for c in outcome.report.get("checks", []) if c.get("status") == "fail"}
    return outcome.kind == "invalid" and failed == {"recipient"}


def _issuer_slug(issuer_id: str | None) -> str | None:
    prefix = urls.issuer_id("")
    if not issuer_id or not issuer_id.startswith(prefix):
        return None
    slug = issuer_id[len(prefix):]
    return slug if slug and "/" not in slug and "#" not in slug else None


def _namesake(facts: Facts, slugs: tuple[str, ...]) -> dict | None:
    """The organisation whose name was borrowed (a platform-verified one first)."""
    found = [org for org in map(facts.organisation, slugs) if org is not None]
    found.sort(key=lambda org: (not org.verified, org.slug))
    if not found:
        return None
    return {"slug": found[0].slug, "name": found[0].name, "id": urls.issuer_id(found[0].slug)}


def issuer_trust(report: dict, facts: Facts) -> dict:
    """Is the issuer an organisation on this service, and is that confirmed by its key?

    ``state``: ``verified`` (ours, signature by its key, checked by the platform),
    ``known`` (ours and its key, not checked by the platform), ``claimed`` (names
    one of our issuers, but its key did not sign it) or ``unknown`` (elsewhere).
    ``level`` (the API's ``issuerTrust``, see TRUST_LEVELS): ``known`` when one of our
    organisations' keys signed it; ``impersonation`` when it claims one of ours (by id,
    or by a name that reads the same) without its key; else ``unconfirmed``.
    """
    issuer = (report.get("credential") or {}).get("issuer") or {}
    slug = _issuer_slug(issuer.get("id"))
    org = facts.organisation(slug) if slug else None
    namesakes = facts.namesakes(issuer_name(issuer))
    if org is None:
        namesake = _namesake(facts, namesakes)
        trust = {"state": "unknown", "id": issuer.get("id"), "name": issuer.get("name"),
                 "level": "impersonation" if namesake else "unconfirmed"}
        return {**trust, "namesake": namesake} if namesake else trust
    key_ok = all((_check(report, c) or {}).get("status") == "pass"
                 for c in ("proof", "key_binding", "issuer_match"))
    state = ("verified" if org.verified else "known") if key_ok else "claimed"
    trust = {"state": state, "id": urls.issuer_id(org.slug), "name": org.name,
             "slug": org.slug, "platform_verified": org.verified, "brin": org.brin,
             "kvk": org.kvk, "city": org.city, "level": "known"}
    others = tuple(s for s in namesakes if s != org.slug)
    if state == "claimed":
        trust.update(level="impersonation", namesake={"slug": org.slug, "name": org.name,
                                                      "id": trust["id"]})
    elif others and not org.verified and _namesake(facts, others):
        # an unchecked organisation here, signing under another one's name
        trust.update(level="impersonation", namesake=_namesake(facts, others))
    return trust


def signers_trust(report: dict, facts: Facts) -> list[dict]:
    """Each proof's signer with the trust display of the issuer (``state``, ``level``).

    A co-issued credential has two: the issuer and the partner organisation. A
    proof under the name of one of our organisations that no key of it verified is
    ``claimed`` (level ``impersonation``), never shown as that organisation's.
    """
    shown = []
    for signer in report.get("signers") or []:
        slug = _issuer_slug(signer.get("controller"))
        org = facts.organisation(slug) if slug else None
        entry = {**signer, "id": signer.get("controller"), "name": None, "slug": None,
                 "state": "unknown", "level": "unconfirmed"}
        if org is not None:
            good = signer.get("status") == "verified" and not signer.get("compromised")
            entry.update(name=org.name, slug=org.slug, brin=org.brin, kvk=org.kvk,
                         state=("verified" if org.verified else "known") if good else "claimed",
                         level="known" if good else "impersonation")
        shown.append(entry)
    return shown


def with_co_signers(summary: dict, signers: list[dict]) -> dict:
    """The sentence, plus who co-signed it with their own key (a co-issued credential)."""
    names = [s["name"] for s in signers
             if s.get("role") == "co-signer" and s.get("level") == "known" and s.get("name")]
    if not names or not summary:
        return summary
    joined = ", ".join(names)
    return {"nl": f"{summary.get('nl', '')} Mede-ondertekend door {joined}.".strip(),
            "en": f"{summary.get('en', '')} Co-signed by {joined}.".strip()}


def refine(kind: str, trust: dict) -> str:
    """The kind once who signed is known: a borrowed name is never shown as valid, and
    a signature by a key we cannot tie to anyone is not "valid" without a caveat."""
    if trust.get("level") == "impersonation" and kind not in DISTRUSTED:
        return "impersonation"
    if trust.get("level") == "unconfirmed" and kind == "valid":
        return "signed_unconfirmed"
    return kind


def trust_summary(report: dict, kind: str, trust: dict) -> dict:
    """The report's sentence, said again for the kinds this module adds."""
    if kind not in ("impersonation", "signed_unconfirmed"):
        return report.get("summary") or {}
    checks = [CheckResult(c.get("id", ""), c.get("status", ""), False, "", "")
              for c in report.get("checks", [])]
    caveat = STATUS_UNCHECKED if status_unchecked(checks) else ("", "")
    if kind == "impersonation":
        real = (trust.get("namesake") or {}).get("name") or trust.get("name") or "?"
        nl = (f"Pas op: nagemaakte uitgever. De credential gebruikt de naam van {real}, een "
              f"organisatie op Skillspas, maar {real} heeft hem niet ondertekend.")
        en = (f"Warning: impersonated issuer. The credential uses the name of {real}, an "
              f"organisation on Skillspas, but {real} did not sign it.")
        return {"nl": nl, "en": en}
    claimed = trust.get("name")
    nl = ("Ondertekend, maar de uitgever is niet bevestigd: de credential noemt "
          + (f"‘{claimed}’ als uitgever" if claimed else "geen uitgever")
          + ", maar de sleutel hoort bij geen organisatie op Skillspas.")
    en = ("Signed, but the issuer is not confirmed: the credential names "
          + (f"‘{claimed}’ as its issuer" if claimed else "no issuer")
          + ", but the key belongs to no organisation on Skillspas.")
    return {"nl": f"{nl} {caveat[0]}".strip(), "en": f"{en} {caveat[1]}".strip()}


def _local_uuid(report: dict, facts: Facts) -> str | None:
    """Our credential's uuid when the report is about one that was issued here."""
    cred_id = (report.get("credential") or {}).get("id")
    prefix = urls.credential_url("")
    if not isinstance(cred_id, str) or not cred_id.startswith(prefix):
        return None
    uuid = cred_id[len(prefix):]
    if not uuid or "/" in uuid or len(uuid) > 36:
        return None
    return uuid if facts.is_local_credential(uuid) else None


# Who wants to know that one of our credentials was checked on the verify page or API
# (insight counts it per achievement; who checked is never passed on).
_checked_hooks: list[Callable[[str], None]] = []


def on_checked(hook: Callable[[str], None]) -> None:
    if hook not in _checked_hooks:
        _checked_hooks.append(hook)


def notify_checked(outcome: Outcome) -> None:
    """Tell the hooks the uuid of the credential checked, when it names one of ours."""
    cred_id = (outcome.report.get("credential") or {}).get("id")
    prefix = urls.credential_url("")
    if isinstance(cred_id, str) and cred_id.startswith(prefix):
        uuid = cred_id[len(prefix):]
        if uuid and "/" not in uuid and len(uuid) <= 36:
            for hook in _checked_hooks:
                hook(uuid)  # an unknown uuid is dropped by the hook's lookup


def input_digest(data: bytes | dict) -> tuple[str, int]:
    """sha256 and size of what was checked (a dict is hashed as compact sorted JSON)."""
    raw = data if isinstance(data, bytes) else json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(raw).hexdigest(), len(raw)


@dataclass
class _Answer:
    outcome: Outcome
    report: Report  # for its date comparisons
    wanted: Wanted
    stamp: tuple


class AnswerCache:
    """Answers by input hash, kept while the facts and dates they rest on hold.

    Bounded (least recently used goes first) and per process: each gunicorn
    worker keeps its own, and every one re-reads the facts before it answers.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._answers: OrderedDict[tuple, _Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, now: datetime) -> Outcome | None:
        with self._lock:
            answer = self._answers.get(key)
        if answer is None:
            return None
        facts = Facts()
        facts.load(answer.wanted)
        if facts.stamp() != answer.stamp or not answer.report.same_answer_at(now):
            with self._lock:
                self._answers.pop(key, None)
            return None
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
        return answer.outcome

    def put(self, key: tuple, outcome: Outcome, verification: Verification) -> None:
        if not verification.cacheable:
            return
        answer = _Answer(outcome, verification.report, verification.facts.wanted,
                         verification.facts.stamp())
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def answers() -> AnswerCache:
    """This app's cache (tests build several apps with different settings)."""
    cache = current_app.extensions.get("badges.answers")
    if cache is None:
        cache = current_app.extensions["badges.answers"] = AnswerCache()
    return cache


def remembered(data: bytes, *, email: str | None = None, with_local: bool = True,
               source: str = "api", reading: str | None = None) -> Outcome | None:
    """The answer for exactly these bytes if it still holds (see AnswerCache), else None.

    ``reading`` names how the caller reads the bytes (the API: as JSON, which
    unwraps ``{"credential": ...}``, or raw); only an answer made from the same
    bytes read the same way (``verify(..., reading=)``) is found.
    """
    return _recall(_key(input_digest(data)[0], email, with_local, reading), source)


def _key(digest: str, email: str | None, with_local: bool, reading: str | None) -> tuple:
    return (digest, (email or "").strip() or None, with_local, reading)


def _recall(key: tuple, source: str, local_uuid: str | None = None) -> Outcome | None:
    """The remembered answer under ``key`` if it still holds, as an answer made now."""
    now = datetime.now(UTC)
    known = answers().get(key, now)
    if known is None:
        return None
    return dataclasses.replace(known, source=source, checked_at=now,
                               local_uuid=local_uuid or known.local_uuid)


def verify(data: bytes | str | dict, *, email: str | None = None, source: str = "file",
           local_uuid: str | None = None, with_local: bool = True,
           reading: str | None = None) -> Outcome:
    """Verify ``data`` and add this service's view of the issuer (``reading``: see remembered)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    email = (email or "").strip() or None
    digest, size = input_digest(data)
    key = _key(digest, email, with_local, reading)
    known = _recall(key, source, local_uuid)
    if known is not None:
        return known
    now = datetime.now(UTC)
    verification = verify_with_facts(data, recipient_email=email)
    report = verification.report.to_dict()
    facts = verification.facts
    found_uuid = _local_uuid(report, facts) if with_local else None
    trust = issuer_trust(report, facts)
    report["signers"] = signers_trust(report, facts)
    kind = refine(classify(report), trust)
    report["summary"] = with_co_signers(trust_summary(report, kind, trust), report["signers"])
    outcome = Outcome(report, kind, trust, digest, size, source, local_uuid or found_uuid,
                      checked_at=now)
    outcome.api_json()  # made now, so every later answer from the cache shares it
    answers().put(key, dataclasses.replace(outcome, local_uuid=found_uuid), verification)
    return outcome
