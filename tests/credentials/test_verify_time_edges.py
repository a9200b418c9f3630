"""What a verification report knows about time (the moments its answer depends on), the
status resolver's ``prepare`` hook, and ``warm_up``'s own verification."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from badges.credentials import documents, status_list
from badges.credentials.data_integrity import sign
from badges.credentials.keys import generate_ed25519, public_key_multibase
from badges.credentials.verify import (
    ChainResolver,
    DidKeyResolver,
    Report,
    StaticStatusResolver,
    VerifyContext,
    verify_input,
)
from badges.credentials.warmup import warm_up

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
LIST_URL = "https://skillspas.test/status/roc-x/1"


@pytest.fixture(scope="module")
def issuer() -> tuple:
    """A did:key issuer, as warm_up makes one: (key, issuer id, verification method)."""
    key = generate_ed25519()
    multibase = public_key_multibase(key.public_key())
    return key, f"did:key:{multibase}", f"did:key:{multibase}#{multibase}"


def _credential(issuer, *, valid_from: datetime, valid_until: datetime | None = None,
                status: bool = False) -> dict:
    key, issuer_id, method = issuer
    doc = documents.build_credential(
        credential_id="https://skillspas.test/credentials/1",
        issuer=documents.IssuerData(id=issuer_id, name="ROC X"),
        achievement_data=documents.AchievementData(
            id="https://skillspas.test/achievements/k0123", name="Keuzedeel Duurzaamheid",
            description="Duurzaam werken", criteria_narrative="Examen behaald"),
        recipient=documents.RecipientData(email="vanessa@example.nl", salt="00ff00ff00ff00ff"),
        valid_from=valid_from, valid_until=valid_until,
        credential_status=[status_list.status_entry(LIST_URL, 7, "revocation")] if status
        else None,
    )
    return sign(doc, key, method, created=valid_from)


def _lists(issuer_id: str, **extra) -> StaticStatusResolver:
    listed = status_list.status_list_credential(LIST_URL, issuer_id, "revocation",
                                                status_list.new_bitstring(),
                                                "2026-01-01T00:00:00Z")
    return StaticStatusResolver({LIST_URL: {**listed, **extra}})


class TestTimeEdges:
    def test_an_expiry_within_the_hour_bounds_the_answer(self, issuer) -> None:
        doc = _credential(issuer, valid_from=NOW - HOUR, valid_until=NOW + HOUR)
        report = verify_input(doc, now=NOW)
        assert report.verdict == "valid", report.to_dict()
        assert report.checked_at == NOW
        assert NOW + HOUR in report.time_edges
        assert report.same_answer_at(NOW + timedelta(minutes=30)) is True
        assert report.same_answer_at(NOW + HOUR - timedelta(seconds=1)) is True
        assert report.same_answer_at(NOW + HOUR) is False  # expired at validUntil itself
        assert report.same_answer_at(NOW + 2 * HOUR) is False
        assert report.same_answer_at(NOW - 2 * HOUR) is False  # before validFrom: not valid

        later = verify_input(doc, now=NOW + 2 * HOUR)
        assert later.verdict == "expired"
        assert later.check("validity").status == "fail"
        assert later.same_answer_at(NOW + 3 * HOUR) is True  # expired stays expired
        assert later.same_answer_at(NOW) is False

    def test_a_validity_start_in_the_future_bounds_the_answer(self, issuer) -> None:
        doc = _credential(issuer, valid_from=NOW + HOUR)
        report = verify_input(doc, now=NOW)
        assert report.verdict == "not_yet_valid"
        assert report.same_answer_at(NOW + timedelta(minutes=30)) is True
        assert report.same_answer_at(NOW + HOUR) is False  # valid from that moment on
        assert report.same_answer_at(NOW + 2 * HOUR) is False
        assert verify_input(doc, now=NOW + HOUR).verdict == "valid"
        later = verify_input(doc, now=NOW + 2 * HOUR)
        assert later.verdict == "valid"
        assert later.same_answer_at(NOW + 1000 * HOUR) is True  # no end: no later edge

    def test_the_status_lists_own_expiry_is_an_edge_too(self, issuer) -> None:
        doc = _credential(issuer, valid_from=NOW - HOUR, status=True)
        lists = _lists(issuer[1], validUntil="2026-06-01T12:10:00Z")
        report = verify_input(doc, status_resolver=lists, now=NOW)
        assert report.verdict == "valid", report.to_dict()
        assert report.same_answer_at(NOW + timedelta(minutes=5)) is True
        assert report.same_answer_at(NOW + timedelta(minutes=20)) is False
        stale = verify_input(doc, status_resolver=lists, now=NOW + timedelta(minutes=20))
        assert stale.check("status").status == "warning"
        assert stale.verdict == "indeterminate"

    def test_reached_compares_with_now_and_remembers_the_moment(self) -> None:
        ctx = VerifyContext(data=None, key_resolver=ChainResolver(DidKeyResolver()), now=NOW)
        assert ctx.reached(NOW) is True  # "from NOW" includes NOW
        assert ctx.reached(NOW + timedelta(seconds=1)) is False
        assert ctx.reached(NOW - HOUR) is True
        assert ctx.time_edges == [NOW, NOW + timedelta(seconds=1), NOW - HOUR]

    def test_a_report_without_a_moment_promises_nothing(self) -> None:
        assert Report("valid", None, []).same_answer_at(NOW) is False
        assert Report("valid", None, [], checked_at=NOW).same_answer_at(NOW + 1000 * HOUR)


class _PreparingResolver(StaticStatusResolver):
    def __init__(self, lists: StaticStatusResolver, log: list, fail: bool = False) -> None:
        super().__init__(lists.lists)
        self.log, self.fail = log, fail

    def prepare(self, credential: dict) -> None:
        self.log.append(("prepare", credential))
        if self.fail:
            raise RuntimeError("database gone")

    def fetch(self, status_list_credential_url: str) -> dict | None:
        self.log.append(("fetch", status_list_credential_url))
        return super().fetch(status_list_credential_url)


class _LoggingKeys(ChainResolver):
    def __init__(self, log: list) -> None:
        super().__init__(DidKeyResolver())
        self.log = log

    def resolve(self, verification_method: str):
        self.log.append(("resolve", verification_method))
        return super().resolve(verification_method)


class TestPrepareHook:
    def test_prepare_gets_the_parsed_credential_once_before_any_check(self, issuer) -> None:
        doc = _credential(issuer, valid_from=NOW - HOUR, status=True)
        log: list = []
        resolver = _PreparingResolver(_lists(issuer[1]), log)
        report = verify_input(json.dumps(doc).encode(), key_resolver=_LoggingKeys(log),
                              status_resolver=resolver, now=NOW)
        assert report.verdict == "valid", report.to_dict()
        assert [entry[0] for entry in log if entry[0] == "prepare"] == ["prepare"]
        assert log[0] == ("prepare", doc)  # the parsed credential, before keys and lists
        assert ("fetch", LIST_URL) in log[1:] and ("resolve", issuer[2]) in log[1:]

    def test_a_failing_prepare_is_logged_and_verification_completes(
            self, issuer, caplog: pytest.LogCaptureFixture) -> None:
        doc = _credential(issuer, valid_from=NOW - HOUR, status=True)
        log: list = []
        with caplog.at_level(logging.ERROR):
            report = verify_input(doc, status_resolver=_PreparingResolver(
                _lists(issuer[1]), log, fail=True), now=NOW)
        assert report.verdict == "valid", report.to_dict()
        assert report.check("status").status == "pass"  # looked up one by one instead
        assert [entry[0] for entry in log] == ["prepare", "fetch"]
        assert "prepare failed" in caplog.text

    def test_prepare_is_not_called_for_unusable_input(self) -> None:
        log: list = []
        report = verify_input(b"\x00 not a credential",
                              status_resolver=_PreparingResolver(StaticStatusResolver(), log),
                              now=NOW)
        assert report.verdict == "invalid"
        assert log == []

    def test_a_resolver_without_prepare_still_works(self, issuer) -> None:
        doc = _credential(issuer, valid_from=NOW - HOUR, status=True)
        report = verify_input(doc, status_resolver=_lists(issuer[1]), now=NOW)
        assert report.verdict == "valid"


class TestWarmUp:
    def test_warm_up_passes_the_proof_and_is_indeterminate_offline(self) -> None:
        report = warm_up()
        assert report.check("proof").status == "pass", report.to_dict()
        assert report.check("key_binding").status == "pass"  # did:key binds its own key
        assert report.check("issuer_match").status == "pass"
        assert report.check("schema").status == "pass"
        assert report.check("status").status == "warning"  # its list URL is not fetched
        assert report.verdict == "indeterminate"
        assert report.verified is False
        assert not [c.id for c in report.checks if c.status == "fail"]
        # The sentence names what could not be confirmed (the list), not the key.
        assert "statuslijst" in report.summary_nl and "sleutel" not in report.summary_nl
        assert "status list" in report.summary_en and "key" not in report.summary_en
