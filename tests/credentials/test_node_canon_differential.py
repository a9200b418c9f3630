"""Differential test: our canonical N-Quads == jsonld.js's, over generated documents.

A few hundred documents, generated from a fixed seed (the same every run),
full of what tends to go wrong between implementations: IRIs with every
character N-Quads escapes, language tags in mixed case, base directions,
control characters, numbers, typed literals, nested and explicit blank nodes.
Half use the bundled OB 3.0 contexts (our fast path), half an embedded
context (full pyld). jsonld.js canonicalises the whole batch in one Node
process, with the options of Digital Bazaar's eddsa-rdfc-2022 cryptosuite.

Documented limits, kept out of the generator (each has its own test below):

* JSON integers beyond 2**53. Node reads every JSON number as a double, so it
  signs 9007199254740993 as ...992; we keep the number that is written.
* IRIs holding U+001C–U+001F or U+0085: whitespace to Python's regular
  expressions (and so to pyld), not to JavaScript's. We refuse them rather than
  sign something one of the two would read differently; jsonld.js accepts them.

Numbers otherwise follow jsonld.js exactly, quirks included (``2.0`` is the
integer ``"2"``, ``1e-7`` is ``"0"``): see ``jsonld_rdf.js_reads_as_double``.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from _node import run_batch

from badges.credentials.bench import sample_credential
from badges.credentials.canon import CanonicalizationError, canonicalize

pytestmark = pytest.mark.node

SEED = 20261204
COUNT = 300

#: Characters that N-Quads escapes inside IRIs, and some that it must not.
IRI_CHARS = ["{", "}", "|", "^", "`", "\\", '"', "<", ">", "\x01", "\x7f", "é", "\u2070", "\ufeff",
             "%20", "?", "#", "=", "&", "'", "~", "[", "]", "!", "$", "(", ")", "*", ";"]
TEXT_CHARS = ["a", " ", "\t", "\n", "\r", "\x08", "\x0c", "\x00", "\x1b", "\x7f", '"', "\\",
              "é", "ß", "\u200f", "\U0001F600", "مرحبا", "{", "<"]
TAGS = ["en", "EN-gb", "nl-NL", "ar-EG", "zh-Hant-TW", "de"]
PROPS = ["p", "p{1}", "a|b", "c^d", "e`f", "g\\h", 'q"r', "lt<gt>", "ü", "name"]
NUMBERS = [0, 1, -7, 42, 2**31, 2**53 - 1, -(2**53) + 1, 0.5, -0.25, 1.5e-7, 123.456, 3.0, 2.0e20,
           1e21, 1.7976931348623157e308, 5e-324, 0.1 + 0.2, -0.0]


def _iri(rnd: random.Random) -> str:
    tail = "".join(rnd.choice([*IRI_CHARS, "x", "y", "/"]) for _ in range(rnd.randint(0, 6)))
    return rnd.choice(["https://h.example/", "urn:ex:", "did:example:"]) + "r" + tail


def _text(rnd: random.Random) -> str:
    return "".join(rnd.choice(TEXT_CHARS) for _ in range(rnd.randint(0, 5)))


def _value(rnd: random.Random, depth: int) -> Any:
    kind = rnd.randrange(9 if depth < 3 else 7)
    if kind == 0:
        return _text(rnd)
    if kind == 1:
        return rnd.choice(NUMBERS)
    if kind == 2:
        return rnd.random() < 0.5
    if kind == 3:
        value: dict[str, Any] = {"@value": _text(rnd)}
        if rnd.random() < 0.7:
            value["@language"] = rnd.choice(TAGS)
        if rnd.random() < 0.7:
            value["@direction"] = rnd.choice(["ltr", "rtl"])
        return value
    if kind == 4:
        return {"@value": _text(rnd), "@type": _iri(rnd)}
    if kind == 5:
        return {"@id": _iri(rnd)}
    if kind == 6:
        return {"@id": f"_:b{rnd.randrange(3)}"}
    if kind == 7:
        return _node(rnd, depth + 1)
    return [_value(rnd, depth + 1) for _ in range(rnd.randint(1, 3))]


def _node(rnd: random.Random, depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {}
    if rnd.random() < 0.4:
        node["id"] = _iri(rnd)
    if rnd.random() < 0.3:
        node["type"] = ["T", _iri(rnd)][rnd.randrange(2)]
    for _ in range(rnd.randint(1, 4)):
        node[rnd.choice(PROPS)] = _value(rnd, depth)
    if rnd.random() < 0.3:
        node["link"] = _iri(rnd)
    return node


def _embedded(rnd: random.Random) -> dict[str, Any]:
    """A document with an embedded context (full pyld path on our side)."""
    context: dict[str, Any] = {
        "@vocab": "https://v.example/ns#", "id": "@id", "type": "@type",
        "link": {"@id": "https://v.example/ns#link", "@type": "@id"},
    }
    if rnd.random() < 0.3:
        context["@language"] = rnd.choice(TAGS)
    if rnd.random() < 0.3:
        context["@direction"] = rnd.choice(["ltr", "rtl"])
    return {"@context": context, **_node(rnd, 0)}


def _twins(rnd: random.Random) -> dict[str, Any]:
    """Two blank nodes alike at first degree, told apart one hop further (Hash N-Degree
    Quads): their order depends on hashing the predicate's IRI, unescaped."""
    p, r = rnd.choice(PROPS[1:]), rnd.choice(PROPS)
    doc = _embedded(rnd)
    doc["id"] = _iri(rnd)
    doc["items"] = [{p: {r: _text(rnd) + "1"}}, {p: {r: _text(rnd) + "2"}}]
    return doc


def _credential(rnd: random.Random, number: int) -> dict[str, Any]:
    """An OB 3.0 credential with generated IRIs, texts and numbers (mostly the fast path)."""
    doc = sample_credential(number=number)
    achievement = doc["credentialSubject"]["achievement"]
    doc["evidence"][0]["id"] = _iri(rnd)
    doc["evidence"].append({"type": ["Evidence"], "name": _text(rnd),
                            "narrative": _text(rnd)})  # a second blank node of the same shape
    if rnd.random() < 0.5:
        achievement["id"] = _iri(rnd)
    if rnd.random() < 0.5:
        achievement["image"]["id"] = _iri(rnd)
    achievement["description"] = (_text(rnd) if rnd.random() < 0.6 else
                                  {"@value": _text(rnd), "@language": rnd.choice(TAGS),
                                   "@direction": rnd.choice(["ltr", "rtl"])})
    achievement["creditsAvailable"] = rnd.choice(NUMBERS)
    achievement["alignment"][0]["targetUrl"] = _iri(rnd)
    return doc


def _documents() -> list[dict[str, Any]]:
    rnd = random.Random(SEED)
    return [_credential(rnd, i) if i % 2 else _twins(rnd) if i % 6 == 0 else _embedded(rnd)
            for i in range(COUNT)]


def _ours(doc: dict[str, Any]) -> dict[str, str]:
    try:
        return {"nquads": canonicalize(doc)}
    except CanonicalizationError as exc:
        return {"error": f"{exc.code}: {exc}"}


def test_same_canonical_nquads_as_jsonld_js():
    docs = _documents()
    with ThreadPoolExecutor(1) as node_side:  # Node works while we canonicalise
        pending = node_side.submit(run_batch, "canonize.mjs", docs)
        ours_all = [_ours(doc) for doc in docs]
        theirs = pending.result()
    differences, refused = [], 0
    for i, (doc, ours, reference) in enumerate(zip(docs, ours_all, theirs, strict=True)):
        if "error" in reference and "error" in ours:
            refused += 1
        elif ours.get("nquads") != reference.get("nquads"):
            differences.append((i, doc, ours, reference))
    assert not differences, _explain(differences)
    assert refused < COUNT // 4, "too few documents compared: fix the generator"


def _explain(differences: list) -> str:
    i, doc, ours, reference = differences[0]
    ours_lines = set((ours.get("nquads") or "").splitlines())
    ref_lines = set((reference.get("nquads") or "").splitlines())
    return (f"{len(differences)} documents differ; first #{i}: {doc!r}\n"
            f"ours only: {sorted(ours_lines - ref_lines) or ours.get('error')}\n"
            f"jsonld.js only: {sorted(ref_lines - ours_lines) or reference.get('error')}")


def test_integers_beyond_2_53_are_the_documented_difference():
    doc = {"@context": {"@vocab": "https://v.example/ns#"}, "n": 2**53 + 1}
    [theirs] = run_batch("canonize.mjs", [doc])
    assert '"9007199254740993"^^<http://www.w3.org/2001/XMLSchema#integer>' in canonicalize(doc)
    assert '"9007199254740992"^^<http://www.w3.org/2001/XMLSchema#integer>' in theirs["nquads"]


def test_iris_with_python_only_whitespace_are_the_documented_difference():
    doc = {"@context": {"@vocab": "https://v.example/ns#"}, "@id": "urn:ex:a\x1fb", "p": "x"}
    [theirs] = run_batch("canonize.mjs", [doc])
    assert theirs["nquads"] == '<urn:ex:a\\u001Fb> <https://v.example/ns#p> "x" .\n'
    with pytest.raises(CanonicalizationError) as refused:
        canonicalize(doc)
    assert refused.value.code == "undefined_term"
