"""Remembered subtrees in the fast JSON-LD → RDF path: replays give exactly plain pyld's
answer, blank nodes stay apart, explicit blank-node ids are never remembered, the work
limits still bite on a replay, and every thread has its own memo."""

from __future__ import annotations

import copy
import sys
import threading

import pytest

from badges.credentials import jsonld_rdf
from badges.credentials.bench import sample_credential
from badges.credentials.canon import (
    _FAST,
    CanonicalizationError,
    Limits,
    canonicalize,
    canonicalize_pyld,
)

ACHIEVEMENT_ID = "https://skillspas.example.nl/achievements/k0123"


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> jsonld_rdf._FastRdf:
    """A fresh fast path for this thread: empty memo, nothing remembered from other tests."""
    fresh = jsonld_rdf._FastRdf()
    monkeypatch.setattr(_FAST, "fast", fresh)
    return fresh


@pytest.fixture
def replays(cold: jsonld_rdf._FastRdf, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The subjects of every replayed subtree, in order (a spy on the cold instance)."""
    seen: list[str] = []
    original = cold._replay

    def spy(known: jsonld_rdf._Subtree, depth: int) -> str:
        subject = original(known, depth)
        seen.append(subject)
        return subject

    monkeypatch.setattr(cold, "_replay", spy)
    return seen


def _variant(i: int) -> dict:
    """Credentials around one achievement that differ in everything else, in several shapes."""
    doc = sample_credential(number=i, email=f"student{i}@example.nl")
    subject = doc["credentialSubject"]
    if i % 3 == 1:  # an identified subject: itself remembered, with the achievement inside
        subject["id"] = f"did:example:learner{i}"
    if i % 4 == 2:  # more blank nodes before the achievement: replays renumber after them
        subject["result"].append({"type": ["Result"], "value": f"extra {i}", "status": "Completed"})
        doc["evidence"].insert(0, {"type": ["Evidence"], "narrative": f"first {i}"})
    if i % 5 == 3:  # the achievement first, the issuer last: another creation order
        subject = {"achievement": subject.pop("achievement"), **subject}
        doc["credentialSubject"] = subject
        doc = {**{k: v for k, v in doc.items() if k != "issuer"}, "issuer": doc["issuer"]}
    return doc


class TestSharedAchievementMatchesPlainPyld:
    def test_credentials_sharing_an_achievement_canonicalise_as_pyld_cold_and_warm(
            self, replays: list[str]) -> None:
        docs = [_variant(i) for i in range(12)]
        expected = [canonicalize_pyld(d) for d in docs]
        first_pass = [canonicalize(d) for d in docs]
        assert replays, "the shared achievement was never replayed"
        assert first_pass == expected
        hits = len(replays)
        assert [canonicalize(d) for d in reversed(docs)] == expected[::-1]  # everything warm
        assert len(replays) > hits

    def test_the_shared_achievement_is_recorded_once_then_replayed(
            self, cold: jsonld_rdf._FastRdf, replays: list[str]) -> None:
        canonicalize(sample_credential(number=1))
        achievements = [key for key in cold.memo if key[1] == "achievement"]
        assert len(achievements) == 1 and ACHIEVEMENT_ID in achievements[0][2]
        assert replays == []
        size = len(cold.memo)
        canonicalize(sample_credential(number=2, email="ben@example.nl"))
        assert f"<{ACHIEVEMENT_ID}>" in replays
        assert "<https://skillspas.example.nl/issuers/roc-de-maas>" in replays
        # Only the status entry (it names the credential's number) is new.
        assert len(cold.memo) == size + 1

    def test_a_changed_achievement_is_not_answered_from_the_memo(
            self, cold: jsonld_rdf._FastRdf) -> None:
        canonicalize(sample_credential(number=1))
        changed = sample_credential(number=1)
        changed["credentialSubject"]["achievement"]["name"] = "Keuzedeel Verkoop online"
        out = canonicalize(changed)
        assert out == canonicalize_pyld(changed)
        assert '"Keuzedeel Verkoop online"' in out
        assert len([k for k in cold.memo if k[1] == "achievement"]) == 2

    def test_the_same_subtree_under_other_contexts_is_expanded_again(
            self, cold: jsonld_rdf._FastRdf) -> None:
        profile = {"id": "https://issuer.example/1", "type": "Profile", "name": "ROC",
                   "email": "info@roc.example"}
        outputs = []
        for extra in ("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                      "https://www.w3.org/ns/credentials/examples/v2"):
            doc = {"@context": ["https://www.w3.org/ns/credentials/v2", extra],
                   "id": "urn:uuid:1", "type": ["VerifiableCredential"],
                   "issuer": copy.deepcopy(profile), "validFrom": "2025-01-01T00:00:00Z",
                   "credentialSubject": {"id": "did:example:1"}}
            outputs.append(canonicalize(doc))
            assert outputs[-1] == canonicalize_pyld(doc)
        assert "<https://schema.org/email>" in outputs[0]  # OB: Profile's own email term
        assert "<https://www.w3.org/ns/credentials/examples#email>" in outputs[1]  # @vocab
        assert len([k for k in cold.memo if k[1] == "issuer"]) == 2

    def test_the_same_subtree_twice_in_one_document_keeps_its_blank_nodes_apart(
            self, replays: list[str]) -> None:
        doc = sample_credential()
        # Two subjects holding the same achievement: one IRI (its statements merge), but
        # each copy's criteria and alignments are blank nodes of their own, as in pyld.
        subject = doc["credentialSubject"]
        doc["credentialSubject"] = [subject, {"type": ["AchievementSubject"],
                                              "achievement": copy.deepcopy(subject["achievement"])}]
        out = canonicalize(doc)
        assert replays == [f"<{ACHIEVEMENT_ID}>"]
        assert out == canonicalize_pyld(doc)
        criteria = {line.split()[2] for line in out.splitlines()
                    if line.startswith(f"<{ACHIEVEMENT_ID}>") and "#Criteria>" in line}
        alignments = {line.split()[2] for line in out.splitlines()
                      if line.startswith(f"<{ACHIEVEMENT_ID}>") and "#alignment>" in line}
        assert len(criteria) == 2 and all(c.startswith("_:c14n") for c in criteria)
        assert len(alignments) == 14

    def test_blank_nodes_do_not_collide_across_replayed_and_fresh_subtrees(
            self, cold: jsonld_rdf._FastRdf) -> None:
        warm = _variant(2)
        canonicalize(warm)
        doc = _variant(6)  # the same shape, other values: replayed labels follow the new ones
        assert canonicalize(doc) == canonicalize_pyld(doc)


class TestExplicitBlankNodeIds:
    def _with_blank_achievement(self, issuer_id: str | None) -> dict:
        doc = sample_credential()
        doc["credentialSubject"]["achievement"]["id"] = "_:b0"
        if issuer_id is not None:
            doc["issuer"]["id"] = issuer_id
        return doc

    def test_a_subtree_with_a_blank_node_id_is_not_remembered(
            self, cold: jsonld_rdf._FastRdf) -> None:
        doc = self._with_blank_achievement(None)
        cold.quads(doc, Limits())  # the fast path handles it (no fallback to pyld) ...
        assert canonicalize(doc) == canonicalize_pyld(doc)
        assert cold.memo, "the other identified subtrees are still remembered"
        assert not [k for k in cold.memo if k[1] == "achievement"]
        assert not [k for k in cold.memo if "_:b0" in k[2]]

    def test_labels_shared_with_the_rest_of_the_document_stay_correct(
            self, cold: jsonld_rdf._FastRdf) -> None:
        first = self._with_blank_achievement(None)
        canonicalize(first)
        # Now another blank-node label comes first: had the achievement been replayed
        # with the first document's labels, it would merge with the issuer.
        second = self._with_blank_achievement("_:issuer")
        out = canonicalize(second)
        assert out == canonicalize_pyld(second)
        third = self._with_blank_achievement(None)
        third["credentialSubject"]["source"]["id"] = "_:b0"  # one node: achievement == source
        assert canonicalize(third) == canonicalize_pyld(third)


def _accepts(doc: dict, limits: Limits) -> bool:
    try:
        canonicalize(doc, limits=limits)
    except CanonicalizationError as exc:
        assert exc.code == "too_complex"
        return False
    return True


def _smallest(doc: dict, field: str, hi: int, fast: jsonld_rdf._FastRdf) -> int:
    """The smallest value of a limit that still accepts ``doc``, with a cold memo each time."""
    lo = 0
    while lo < hi:
        mid = (lo + hi) // 2
        fast.memo.clear()
        if _accepts(doc, Limits(**{field: mid})):
            hi = mid
        else:
            lo = mid + 1
    return lo


class TestLimitsStillApplyOnReplay:
    @pytest.mark.parametrize("field", ["max_depth", "max_json_nodes"])
    @pytest.mark.parametrize("identified_subject", [False, True])
    def test_a_warm_memo_moves_no_limit(self, cold: jsonld_rdf._FastRdf, replays: list[str],
                                        field: str, identified_subject: bool) -> None:
        doc = sample_credential(number=7)
        if identified_subject:  # a remembered subject made while replaying its achievement
            doc["credentialSubject"]["id"] = "did:example:learner7"
        threshold = _smallest(doc, field, 5000, cold)
        assert 0 < threshold < 5000
        cold.memo.clear()
        canonicalize(sample_credential(number=8))  # the achievement and issuer remembered ...
        canonicalize(doc)  # ... then every identified subtree of doc, down to the last one
        before = len(replays)
        assert not _accepts(doc, Limits(**{field: threshold - 1}))
        assert _accepts(doc, Limits(**{field: threshold}))
        assert len(replays) > before, "the warm run replayed nothing: the test proves nothing"
        assert canonicalize(doc, limits=Limits(**{field: threshold})) == canonicalize_pyld(doc)

    def test_a_replayed_subtree_too_deep_for_tiny_limits_is_refused(
            self, cold: jsonld_rdf._FastRdf, replays: list[str]) -> None:
        canonicalize(sample_credential(number=1))
        # The top node and credentialSubject fit in depth 1; the replayed achievement
        # (depth 2, alignments at 3) does not.
        with pytest.raises(CanonicalizationError) as err:
            canonicalize(sample_credential(number=2), limits=Limits(max_depth=2))
        assert err.value.code == "too_complex"
        cold.memo.clear()
        with pytest.raises(CanonicalizationError) as cold_err:
            canonicalize(sample_credential(number=2), limits=Limits(max_depth=2))
        assert cold_err.value.code == "too_complex"


class TestThreads:
    def test_concurrent_canonicalisation_matches_sequential(self) -> None:
        docs = []
        for i in range(16):
            doc = _variant(i)
            if i % 2:  # two achievements and two issuers across the threads
                doc["credentialSubject"]["achievement"]["id"] = ACHIEVEMENT_ID + "-b"
                doc["issuer"]["name"] = "ROC Zuid"
            docs.append(doc)
        sequential = [canonicalize(d) for d in docs]
        assert sequential[:2] == [canonicalize_pyld(d) for d in docs[:2]]

        workers = 4
        results: dict[int, str] = {}
        instances: set[int] = set()
        errors: list[BaseException] = []
        start = threading.Barrier(workers)
        lock = threading.Lock()

        def work(offset: int) -> None:
            try:
                start.wait()
                with lock:
                    instances.add(id(_FAST.fast))
                for shift in range(3):  # later rounds replay from this thread's memo
                    for i in range(offset, len(docs), workers):
                        n = (i + shift) % len(docs)
                        out = canonicalize(docs[n])
                        with lock:
                            assert results.setdefault(n, out) == out
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)  # switch threads often: interleave inside documents
        try:
            threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
        finally:
            sys.setswitchinterval(interval)
        assert not errors, errors
        assert not any(t.is_alive() for t in threads)
        assert [results[i] for i in range(len(docs))] == sequential
        assert len(instances) == workers and id(_FAST.fast) not in instances
