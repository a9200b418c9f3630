"""The engine benchmark behind ``badges bench``: sign and verify throughput on one core.

Why a realistic credential: canonicalisation cost grows with the number of
nodes and scoped contexts, so a toy credential would flatter the numbers. The
sample is an mbo keuzedeel credential with crebo and keuzedeel alignments, five
skills, a result, evidence, a source employer and a status entry — the shape
the service issues most.
"""

from __future__ import annotations

import importlib
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .data_integrity import sign, verify_proof
from .documents import (
    AchievementData,
    EvidenceData,
    IssuerData,
    RecipientData,
    ResultData,
    SkillData,
    build_credential,
)
from .keys import generate_ed25519

# Real ESCO concepts (the same as badges/catalogue/skills_seed.py records for these skills).
SKILLS = [
    ("samenwerken in een team", "http://data.europa.eu/esco/skill/60c78287-22eb-4103-9c8c-28deaa460da0"),
    ("klantgericht werken", "http://data.europa.eu/esco/skill/b7c8f418-08d5-45d6-b697-ab26c6ecbfb4"),
    ("problemen oplossen", "http://data.europa.eu/esco/skill/adc6dc11-3376-467b-96c5-9b0a21edc869"),
    ("werken met cijfers", "http://data.europa.eu/esco/skill/5dd01a1e-7ba0-4b7f-a76c-ed811c12bfde"),
    ("werken met Excel", "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"),
]


def sample_credential(
    issuer_id: str = "https://skillspas.example.nl/issuers/roc-de-maas",
    number: int = 1,
    email: str = "vanessa@example.nl",
) -> dict[str, Any]:
    """An unsigned, schema-valid keuzedeel credential of realistic size."""
    base = issuer_id.split("/issuers/")[0]
    return build_credential(
        credential_id=f"{base}/credentials/{number:08d}",
        issuer=IssuerData(id=issuer_id, name="ROC De Maas", url="https://www.rocdemaas.example.nl",
                          email="examencommissie@rocdemaas.example.nl", brin="25LX"),
        achievement_data=AchievementData(
            id=f"{base}/achievements/k0123",
            name="Keuzedeel Verkoop in de detailhandel",
            description="De student voert zelfstandig verkoopgesprekken en adviseert klanten "
                        "in een winkelomgeving.",
            criteria_narrative="Examen praktijk (beoordeeld door praktijkopleider en docent) "
                               "en kennistoets, beide met voldoende resultaat.",
            kind="keuzedeel", crebo="25250", crebo_name="Verkoopspecialist detailhandel",
            keuzedeel_code="K0123",
            skills=[SkillData(name=n, url=u, code=u.rsplit("/", 1)[1]) for n, u in SKILLS],
            credits_available=240, human_code="K0123", field_of_study="Handel",
            image_url=f"{base}/achievements/k0123/image.png", version="2024-1",
        ),
        recipient=RecipientData(email=email, salt="c0ffee00deadbeef"),
        valid_from=datetime(2025, 7, 1, tzinfo=UTC),
        results=[ResultData(value="Goed", status="Completed")],
        evidence=[EvidenceData(name="Praktijkopdracht", narrative="Verkoopgesprek in de "
                               "leerbedrijf-winkel, beoordeeld met het beoordelingsformulier.")],
        source=IssuerData(id=f"{base}/organisations/kvk-12345678", name="Bakkerij Jansen B.V.",
                          kvk="12345678"),
        credential_status=[{
            "id": f"{base}/status/1#{number}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(number),
            "statusListCredential": f"{base}/status/1",
        }],
    )


def _measure(n: int, op: Callable[[int], Any]) -> dict[str, float]:
    times = []
    start = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        op(i)
        times.append((time.perf_counter() - t) * 1000)
    total = time.perf_counter() - start
    times.sort()
    return {
        "ops_per_s": round(n / total, 1),
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 3),
    }


def run_bench(n: int = 200) -> dict[str, Any]:
    """Sign/verify ``n`` credentials with eddsa-rdfc-2022 (and VC-JWT when available).

    First ``n`` credentials of one achievement (a bulk run: the achievement's
    canonical form is remembered after the first), then ``n`` of as many
    achievements (a verifier seeing strangers' credentials). Every document is
    signed and verified once: no proof outcome is reused.
    """
    key = generate_ed25519()
    pub = key.public_key()
    vm = "https://skillspas.example.nl/issuers/roc-de-maas#key-1"
    docs = [sample_credential(number=i) for i in range(n)]
    created = datetime(2025, 7, 1, tzinfo=UTC)
    signed: list[dict[str, Any]] = [{}] * n

    def do_sign(i: int) -> None:
        signed[i] = sign(docs[i], key, vm, created=created)

    sign_stats = _measure(n, do_sign)
    verify_stats = _measure(n, lambda i: verify_proof(signed[i], signed[i]["proof"], pub))
    # The same again with a different achievement in every credential: nothing the
    # engine remembers between documents (canonical subtrees) applies.
    others = [sample_credential(number=i) for i in range(n)]
    for i, doc in enumerate(others):
        doc["credentialSubject"]["achievement"]["id"] += f"-{i}"
    other_signed: list[dict[str, Any]] = [{}] * n

    def do_sign_other(i: int) -> None:
        other_signed[i] = sign(others[i], key, vm, created=created)

    cold_sign = _measure(n, do_sign_other)
    cold_verify = _measure(n, lambda i: verify_proof(other_signed[i], other_signed[i]["proof"],
                                                     pub))
    result: dict[str, Any] = {
        "n": n,
        "credential_bytes": len(__import__("json").dumps(signed[0])),
        "eddsa-rdfc-2022": {"sign": sign_stats, "verify": verify_stats},
        "eddsa-rdfc-2022, every achievement different": {"sign": cold_sign,
                                                          "verify": cold_verify},
    }
    try:
        jwt = importlib.import_module(f"{__package__}.jwt")
    except ImportError:
        result["vc-jwt"] = "skipped: jwt module not available"
        return result
    tokens: list[str] = [""] * n

    def jwt_sign(i: int) -> None:
        tokens[i] = jwt.sign_vc_jwt(docs[i], key, vm)

    jwt_sign_stats = _measure(n, jwt_sign)
    jwt_verify_stats = _measure(n, lambda i: jwt.verify_vc_jwt(tokens[i], pub))
    result["vc-jwt"] = {"sign": jwt_sign_stats, "verify": jwt_verify_stats}
    return result


if __name__ == "__main__":  # pragma: no cover - manual use
    import json
    import sys

    print(json.dumps(run_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 200), indent=2))
