"""#21.6: every skill the seed list labels ESCO is an ESCO concept, as ESCO's own data says.

The rows come from esco_skills_extract.csv next to this file: a small extract of ESCO's CSV
exports (sources and licence in its header), so a future edit cannot label a code as ESCO that
is not one, nor record a label ESCO does not give that concept.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from badges.catalogue.skills_seed import ESCO, SKILLS

EXTRACT = Path(__file__).with_name("esco_skills_extract.csv")


def _extract() -> dict[str, dict[str, str]]:
    with EXTRACT.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["conceptUri"]: row for row in rows}


ROWS = _extract()
MAPPED = [s for s in SKILLS if s.esco_uri]


@pytest.mark.parametrize("seed", MAPPED, ids=[s.label for s in MAPPED])
def test_a_seeded_esco_uri_is_a_current_esco_skill_with_the_recorded_label(seed):
    row = ROWS.get(seed.esco_uri)
    assert row is not None, f"{seed.esco_uri} is not in ESCO's data (add its row from ESCO)"
    assert seed.esco_uri.startswith(ESCO)
    assert row["preferredLabel"] == seed.esco_label
    assert row["in_v1_2"] == "yes", f"{seed.esco_label!r} is not in the current ESCO release"
    # A skill or competence; a knowledge concept only for a language (ESCO's group L).
    assert row["skillType"] == "skill/competence" or (
        row["skillType"] == "knowledge" and "L1" in row["groups_v1_2"].split())
    assert row["confirmed_by"].split(), "which ESCO export confirms it"


def test_the_extract_is_esco_shaped():
    assert len(ROWS) >= len(MAPPED)
    for uri, row in ROWS.items():
        assert uri.startswith(ESCO) and len(uri) == len(ESCO) + 36, uri
        assert row["skillType"] in {"skill/competence", "knowledge"}
        assert set(row["confirmed_by"].split()) <= {"v1.2", "v1.1", "v1.0", "v1.0t"}


def test_the_demo_library_credential_names_only_esco_concepts():
    """The demo's credential from outside Skillspas called ESCO group codes (S5.1 is
    "programming computer systems") its ESCO skills; now they are ESCO concepts."""
    from badges.demo.credentials import library_credential

    alignments = library_credential("henk@example.nl")["credentialSubject"]["achievement"][
        "alignment"]
    assert alignments
    for a in alignments:
        assert a["targetFramework"] == "ESCO"
        assert a["targetUrl"] in ROWS and ROWS[a["targetUrl"]]["in_v1_2"] == "yes", a
        assert a["targetCode"] == a["targetUrl"].rsplit("/", 1)[1]
