"""N-Quads terms as jsonld.js / rdf-canonize write them: IRI escaping and ``@direction``.

The expected lines were produced by jsonld.js 9 (rdf-canonize 5) through
Digital Bazaar's eddsa-rdfc-2022 cryptosuite; test_node_canon.py checks the
same against a live Node process.
"""

from __future__ import annotations

import pytest

from badges.credentials import canon
from badges.credentials.bench import sample_credential
from badges.credentials.rdfc import DEFAULT_LIMITS, escape_iri, iri_term, rdfc10

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
EVIDENCE = "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Evidence>"


def test_iri_escaping_covers_exactly_what_iriref_excludes():
    for code in range(0x80):
        char = chr(code)
        excluded = code <= 0x20 or char in '<>"{}|^`\\'
        assert escape_iri(char) == (f"\\u{code:04X}" if excluded else char), hex(code)
    assert escape_iri("https://example.org/é\u2070") == "https://example.org/é\u2070"
    assert iri_term("urn:x{y}") == "<urn:x\\u007By\\u007D>"


def _with_evidence_url(url: str) -> dict:
    doc = sample_credential()
    doc["evidence"][0]["id"] = url
    return doc


@pytest.mark.parametrize("path", ["fast", "pyld"])
def test_evidence_url_with_braces_is_escaped_in_canonical_nquads(path):
    doc = _with_evidence_url("https://portfolio.example/p?q={x}")
    quads = (canon._FAST.quads(doc, DEFAULT_LIMITS) if path == "fast"
             else canon.pyld_quads(doc))
    out = rdfc10(quads)
    assert f"<https://portfolio.example/p?q=\\u007Bx\\u007D> {RDF_TYPE} {EVIDENCE} .\n" in out
    assert "{x}" not in out


def test_every_excluded_character_in_an_evidence_url():
    out = canon.canonicalize(_with_evidence_url('https://e.example/a|b^c`d\\e?x=<1>&y="2"'))
    escaped = ("https://e.example/a\\u007Cb\\u005Ec\\u0060d\\u005Ce?x=\\u003C1\\u003E"
               "&y=\\u00222\\u0022")
    assert f"<{escaped}> {RDF_TYPE} {EVIDENCE} .\n" in out


def _described(value: object) -> dict:
    doc = sample_credential()
    doc["credentialSubject"]["achievement"]["description"] = value
    return doc


DESCRIPTION = ("<https://skillspas.example.nl/achievements/k0123> "
               "<https://schema.org/description> ")


@pytest.mark.parametrize(("value", "literal"), [
    ({"@value": "مرحبا", "@language": "AR-EG", "@direction": "rtl"},
     '"مرحبا"^^<https://www.w3.org/ns/i18n#ar-eg_rtl>'),
    ({"@value": "abc", "@direction": "ltr"}, '"abc"^^<https://www.w3.org/ns/i18n#_ltr>'),
    ({"@value": "abc", "@language": "nl-NL"}, '"abc"@nl-nl'),
])
def test_direction_becomes_the_i18n_datatype(value, literal):
    assert DESCRIPTION + literal + " .\n" in canon.canonicalize(_described(value))


def test_default_direction_of_an_embedded_context_is_lost_as_in_jsonld_js():
    """jsonld.js drops a context's default ``@direction`` when it clones the active
    context (every scoped context does, and every OB node has one); pyld kept it where a
    nested node reverts to its type-scoped context's predecessor (the criteria)."""
    doc = _described("مرحبا")
    doc["@context"] = [*doc["@context"], {"@language": "ar", "@direction": "rtl"}]
    out = canon.canonicalize(doc)
    assert DESCRIPTION + '"مرحبا"@ar .\n' in out
    assert "i18n#" not in out
    assert ('<https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "Examen praktijk '
            '(beoordeeld door praktijkopleider en docent) en kennistoets, beide met voldoende '
            'resultaat."@ar .\n') in out


#: (The OB 3.0 context types creditsAvailable as https://www.w3.org/2001/XMLSchema#float.)
@pytest.mark.parametrize(("number", "literal"), [
    (240, '"240"^^<https://www.w3.org/2001/XMLSchema#float>'),
    (240.0, '"240"^^<https://www.w3.org/2001/XMLSchema#float>'),
    (2.5, '"2.5E0"^^<https://www.w3.org/2001/XMLSchema#float>'),
    (2e20, '"200000000000000000000"^^<https://www.w3.org/2001/XMLSchema#float>'),
    (1.5e-7, '"1.5E-7"^^<https://www.w3.org/2001/XMLSchema#float>'),
    (1e-7, '"0"^^<https://www.w3.org/2001/XMLSchema#float>'),  # jsonld.js: String(1e-7) has no "."
    (-5e-324, '"-0"^^<https://www.w3.org/2001/XMLSchema#float>'),
])
@pytest.mark.parametrize("path", ["fast", "pyld"])
def test_numbers_are_written_as_jsonld_js_writes_them(number, literal, path):
    doc = sample_credential()
    doc["credentialSubject"]["achievement"]["creditsAvailable"] = number
    quads = (canon._FAST.quads(doc, DEFAULT_LIMITS) if path == "fast"
             else canon.pyld_quads(doc))
    assert ("<https://skillspas.example.nl/achievements/k0123> "
            f"<https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable> {literal} .\n"
            ) in rdfc10(quads)
