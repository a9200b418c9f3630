"""The W3C RDF Dataset Canonicalization (RDFC-1.0) test suite, every manifest entry.

Evaluation tests compare the canonical N-Quads byte for byte, map tests the
issued canonical identifiers, and the negative test (a poison clique) must be
refused as too complex. No entry is left out: were one ever unsupported, it
would be listed in ``NOT_SUPPORTED`` with the reason.
"""

from __future__ import annotations

import json

import pytest
from _interop import INTEROP, load_json, read_text
from _nquads import parse_nquads

from badges.credentials.rdfc import DEFAULT_LIMITS, CanonicalizationError, _Rdfc, rdfc10

SUITE = INTEROP / "rdf-canon" / "tests"
MANIFEST = load_json(SUITE / "manifest.jsonld")

#: Manifest ids the engine does not support, with the reason. Empty: it supports them all.
NOT_SUPPORTED: dict[str, str] = {}


def _entries() -> list:
    params = []
    for entry in MANIFEST["entries"]:
        marks = ([pytest.mark.skip(reason=NOT_SUPPORTED[entry["id"]])]
                 if entry["id"] in NOT_SUPPORTED else [])
        params.append(pytest.param(entry, id=entry["id"].lstrip("#"), marks=marks))
    return params


def _hash_of(entry: dict) -> str:
    return {"SHA256": "sha256", "SHA384": "sha384"}[entry.get("hashAlgorithm", "SHA256")]


def test_manifest_has_every_kind_of_test():
    kinds = {e["type"] for e in MANIFEST["entries"]}
    assert kinds == {"rdfc:RDFC10EvalTest", "rdfc:RDFC10MapTest", "rdfc:RDFC10NegativeEvalTest"}
    assert len(MANIFEST["entries"]) >= 80


@pytest.mark.parametrize("entry", _entries())
def test_rdfc10(entry):
    quads = parse_nquads(read_text(SUITE / entry["action"]))
    kind = entry["type"]
    if kind == "rdfc:RDFC10EvalTest":
        assert rdfc10(quads, hash_algorithm=_hash_of(entry)) == read_text(SUITE / entry["result"])
    elif kind == "rdfc:RDFC10MapTest":
        run = _Rdfc(set(quads), DEFAULT_LIMITS, _hash_of(entry))
        run.run()
        issued = {k[2:]: v[2:] for k, v in run.canonical.issued.items()}
        assert issued == json.loads(read_text(SUITE / entry["result"]))
    else:
        assert kind == "rdfc:RDFC10NegativeEvalTest"
        with pytest.raises(CanonicalizationError) as refused:
            rdfc10(quads, hash_algorithm=_hash_of(entry))
        assert refused.value.code == "too_complex"


def test_nquads_reader_keeps_what_the_suite_escapes():
    [quad] = parse_nquads('<urn:ex:\\u0065\\u007B> <urn:p> "a\\u0022\\t"^^<urn:ex:\\u0064> .')
    assert quad == ("<urn:ex:e\\u007B>", "<urn:p>", '"a\\"\\t"^^<urn:ex:d>', "")
