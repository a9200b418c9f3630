"""An independent verifier: Digital Bazaar's JS stack must accept what we sign.

The node packages are pinned by tests/node_verifier/package-lock.json and
installed once into tests/node_verifier/node_modules (git-ignored), so repeated
runs are fast. A failing install fails the test: an interop check that quietly
skips is no check.
"""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from _node import NODE_DIR, context_map, digital_bazaar_sign, node, w3c_key_pair

from badges.credentials import data_integrity as di
from badges.credentials import keys
from badges.credentials.bench import sample_credential

pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def controller_server():
    docs: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = docs.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body or b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", docs
    server.shutdown()
    server.server_close()  # else its socket is left to the GC: a ResourceWarning


def _node_verify(credential: dict, tmp_path: Path, *, standard_only: bool = False) -> dict:
    cred_file = tmp_path / "credential.json"
    cred_file.write_text(json.dumps(credential), encoding="utf-8")
    ctx_map = context_map(tmp_path, standard_only=standard_only)
    done = subprocess.run([node(), "verify.mjs", str(cred_file), str(ctx_map)], cwd=NODE_DIR,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _issue(base: str, docs: dict[str, bytes], tweak=None) -> tuple[dict, object]:
    issuer = f"{base}/issuers/x"
    key = keys.generate_ed25519()
    method = keys.multikey_method(f"{issuer}#key-1", issuer, key.public_key())
    docs["/issuers/x"] = json.dumps(keys.controller_document(issuer, [method])).encode()
    unsigned = sample_credential(issuer_id=issuer)
    if tweak:
        tweak(unsigned)
    signed = di.sign(unsigned, key, f"{issuer}#key-1",
                     created=datetime(2025, 7, 1, tzinfo=UTC))
    return signed, key


def test_digital_bazaar_verifies_our_credential(controller_server, tmp_path):
    base, docs = controller_server
    signed, _ = _issue(base, docs)
    result = _node_verify(signed, tmp_path)
    assert result["verified"], result
    signed["credentialSubject"]["achievement"]["name"] += " (gewijzigd)"
    assert not _node_verify(signed, tmp_path)["verified"]


def test_digital_bazaar_agrees_on_control_character_escaping(controller_server, tmp_path):
    base, docs = controller_server

    def tweak(doc):
        doc["credentialSubject"]["achievement"]["description"] = "tab\tbs\x08ff\x0cbel\x07del\x7f"

    signed, _ = _issue(base, docs, tweak)
    result = _node_verify(signed, tmp_path)
    assert result["verified"], result


def test_digital_bazaar_verifies_a_microcredential_with_every_eu_element(controller_server,
                                                                         tmp_path):
    """With a loader that knows only the standard contexts: the terms of ours are embedded."""
    from badges.credentials.documents import (
        AchievementData,
        AlignmentData,
        IssuerData,
        RecipientData,
        ResultData,
        build_credential,
    )
    base, docs = controller_server
    issuer = f"{base}/issuers/mc"
    key = keys.generate_ed25519()
    docs["/issuers/mc"] = json.dumps(keys.controller_document(
        issuer, [keys.multikey_method(f"{issuer}#key-1", issuer, key.public_key())])).encode()
    ach = "https://skillspas.example/achievements/mc"
    unsigned = build_credential(
        credential_id="https://skillspas.example/credentials/mc-1",
        issuer=IssuerData(id=issuer, name="Vakcollege Techniek Brabant", brin="30TB"),
        achievement_data=AchievementData(
            id=ach, name="Werkbegeleider in de bouw", description="Begeleiden op de bouwplaats.",
            criteria_narrative="Portfolio en praktijkbeoordeling.", kind="microcredential",
            credits_available=9.0, in_language="nl",
            alignments=[
                AlignmentData(target_name="EQF-niveau 3", target_url="https://europa.eu/eqf",
                              target_code="3", target_framework="EQF",
                              target_type="ext:QualificationLevel"),
                AlignmentData(target_name="Je geeft feedback", target_url=f"{ach}#leerresultaat-1",
                              target_framework="Leerresultaten",
                              target_type="ext:LearningOutcome")],
            result_descriptions=[{"id": f"{ach}#uitslag", "type": ["ResultDescription"],
                                  "name": "Uitslag", "resultType": "Result",
                                  "allowedValue": ["voldoende", "goed"]}],
            extensions={"awardingCountry": "NL", "studyLoadHours": 252,
                        "assessmentType": "Portfolio", "participationForm": "blended",
                        "qualityAssurance": "Examencommissie; Inspectie",
                        "levelGuaranteedBy": "Examencommissie VTB",
                        "assessmentSupervision": "onsite", "identityVerified": True,
                        "prerequisites": "Werkervaring", "stackability": "Telt mee voor X",
                        "furtherInformation": "https://example.nl/mc"}),
        recipient=RecipientData(email="henk@example.nl"),
        valid_from=datetime(2026, 5, 1, tzinfo=UTC),
        results=[ResultData(value="goed", status="Completed")])
    assert "@context" in unsigned["credentialSubject"]["achievement"]
    signed = di.sign(unsigned, key, f"{issuer}#key-1", created=datetime(2026, 5, 1, tzinfo=UTC))
    result = _node_verify(signed, tmp_path, standard_only=True)
    assert result["verified"], result
    signed["credentialSubject"]["achievement"]["assessmentType"] = "Geen toets"
    assert not _node_verify(signed, tmp_path, standard_only=True)["verified"]


#: IRIs with every character N-Quads must escape inside ``<…>`` (RDFC-1.0 / rdf-canonize).
SPECIAL_URLS = ["https://portfolio.example/p?q={x}",
                "https://portfolio.example/a|b^c`d\\e?x=<1>&y=\"2\""]


def _with_special_evidence(doc: dict) -> None:
    doc["evidence"][0]["id"] = SPECIAL_URLS[0]
    doc["evidence"].append({"id": SPECIAL_URLS[1], "type": ["Evidence"], "name": "Portfolio"})


def test_digital_bazaar_verifies_evidence_urls_with_special_characters(controller_server,
                                                                      tmp_path):
    base, docs = controller_server
    signed, _ = _issue(base, docs, _with_special_evidence)
    result = _node_verify(signed, tmp_path)
    assert result["verified"], result


def test_we_verify_what_digital_bazaar_signs_with_special_evidence_urls():
    unsigned = sample_credential()
    _with_special_evidence(unsigned)
    [signed] = digital_bazaar_sign([unsigned])
    pub = keys.public_key_from_multibase(w3c_key_pair()["publicKeyMultibase"])
    di.verify_proof(signed, signed["proof"], pub)
    signed["evidence"][0]["id"] = "https://portfolio.example/p?q=%7Bx%7D"
    with pytest.raises(di.ProofError):
        di.verify_proof(signed, signed["proof"], pub)


def test_digital_bazaar_verifies_a_co_signed_proof_set(controller_server, tmp_path):
    """Co-issuing: college and leerbedrijf each sign with their own key (a proof set);
    Digital Bazaar checks both proofs, and a broken second proof fails there too."""
    base, docs = controller_server
    signers = []
    for slug in ("college", "leerbedrijf"):
        controller = f"{base}/issuers/{slug}"
        key = keys.generate_ed25519()
        method = keys.multikey_method(f"{controller}#key-1", controller, key.public_key())
        docs[f"/issuers/{slug}"] = json.dumps(keys.controller_document(controller,
                                                                        [method])).encode()
        signers.append((key, f"{controller}#key-1"))
    signed = di.sign_proof_set(sample_credential(issuer_id=f"{base}/issuers/college"), signers,
                               created=datetime(2025, 7, 1, tzinfo=UTC))
    assert len(signed["proof"]) == 2
    result = _node_verify(signed, tmp_path)
    assert result["verified"] and result["proofs"] == [True, True], result
    # jsonld-signatures calls a proof set verified when any proof is; per proof it agrees
    # with us that a broken co-signature does not verify (we call the credential invalid)
    first, second = signed["proof"]
    broken = {**signed, "proof": [first, {**second, "proofValue": first["proofValue"]}]}
    assert _node_verify(broken, tmp_path)["proofs"] == [True, False]
