"""Journey: a college exam office issues badges in bulk from a CSV.

Sandra (Vakcollege) logs in, opens "In bulk" in the issuer workspace, uploads
30 rows of which 3 are broken (bad email, unknown achievement, bad date), sees
those 3 problems with their line numbers, issues the rest and sees 27 issued.
"""

from __future__ import annotations

import uuid

from tests.browser.conftest import login

ACHIEVEMENTS = ("Tekening lezen", "Lassen basis", "Meten en controleren")
BROKEN = {6: "bad email", 15: "unknown achievement", 25: "bad date"}  # CSV line → problem


def _csv(tag: str) -> bytes:
    lines = ["e-mail;naam;prestatie;periode;geldig_tot"]
    for line in range(2, 32):  # header is line 1: 30 rows on lines 2..31
        email = f"bulk-{tag}-{line}@example.nl"
        achievement = ACHIEVEMENTS[line % len(ACHIEVEMENTS)]
        valid_until = "31-12-2030"
        if BROKEN.get(line) == "bad email":
            email = f"bulk-{tag}-{line}.example.nl"
        elif BROKEN.get(line) == "unknown achievement":
            achievement = "Onderwaterlassen 9"
        elif BROKEN.get(line) == "bad date":
            valid_until = "31-13-2030"
        lines.append(f"{email};Deelnemer {line};{achievement};2026-P{tag};{valid_until}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def test_exam_office_issues_a_csv_in_bulk(page, live_server, check_page, tmp_path):
    tag = uuid.uuid4().hex[:8]
    upload = tmp_path / f"examens-{tag}.csv"
    upload.write_bytes(_csv(tag))

    login(page, live_server, "examen@vakcollege.example")
    page.goto(live_server("/issuer/"))  # one organisation: straight to its workspace
    page.get_by_role("navigation", name="Onderdelen van Vakcollege Techniek Brabant").get_by_role(
        "link", name="In bulk").click()
    page.get_by_role("heading", name="Bewijzen in bulk uitgeven", level=1).wait_for()
    check_page("upload")

    page.get_by_label("CSV-bestand").set_input_files(str(upload))
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("heading", name="Controleer je bestand").wait_for()
    counts = page.locator("#bulk-counts")
    assert counts.locator("[data-count=total]").inner_text() == "30"
    assert counts.locator("[data-count=valid]").inner_text() == "27"
    assert counts.locator("[data-count=invalid]").inner_text() == "3"
    main = page.locator("main")
    for line, problem in BROKEN.items():
        row = main.get_by_role("row").filter(has=page.get_by_role("rowheader", name=str(line),
                                                                  exact=True))
        assert row.get_by_text("Probleem", exact=True).count() == 1, (problem, row.inner_text())
        assert f"Regel {line}, kolom" in row.inner_text(), (problem, row.inner_text())
    assert f"bulk-{tag}-6.example.nl" in main.inner_text()
    assert "Onderwaterlassen 9" in main.inner_text()
    assert "31-13-2030" in main.inner_text()
    assert main.get_by_text("Probleem", exact=True).count() == 3
    check_page("preview")

    page.get_by_role("button", name="Geef 27 geldige bewijzen uit").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    if heading.inner_text().strip() != "Klaar":  # a queued job: follow the no-JS link
        page.get_by_role("link", name="Ververs de voortgang").click()
        page.get_by_role("heading", name="Klaar", level=1).wait_for()
    assert counts.locator("[data-count=issued]").inner_text() == "27"
    main.get_by_text("27 bewijzen uitgegeven.").wait_for()
    assert page.locator("main tbody").get_by_text("Uitgegeven", exact=True).count() == 27
    check_page("done")
