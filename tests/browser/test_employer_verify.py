"""Journey (c): an employer, without an account, checks a baked badge on /verify.

Valid → "Geldig"; after the issuer revokes it the same PNG says "Ingetrokken";
a copy with one changed letter says "Vervalst of gewijzigd".
"""

from __future__ import annotations

import json
import uuid

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.credentials.baking import bake_png, extract_png
from badges.issuing.models import CredentialState
from badges.kernel.db import db
from badges.organisations.models import Organisation


def _issue(live_server, email: str):
    from badges.issuing import services as issuing
    from badges.passport import share

    with live_server.app.test_request_context():
        org = db.session.scalar(db.select(Organisation).filter_by(slug="maasvallei-zorg-welzijn"))
        ach = db.session.scalar(db.select(Achievement).filter_by(name="Basiszorg"))
        teacher = db.session.scalar(db.select(User).filter_by(
            email="docent@rocdemaasvallei.example"))
        issued = issuing.issue(org, issuing.IssueRequest(
            achievement=ach, recipient_email=email, recipient_name="Sollicitant Test"),
            actor_id=teacher.id)
        png = share.credential_file(issued.credential, "png")[0]
        cred_id, actor = issued.credential.id, teacher.id
        db.session.remove()
    return cred_id, actor, png


def _revoke(live_server, cred_id: int, actor: int) -> None:
    from badges.issuing import services as issuing
    from badges.issuing.models import Credential

    with live_server.app.test_request_context():
        issuing.change_state(db.session.get(Credential, cred_id), CredentialState.REVOKED,
                             "Examen ongeldig verklaard", actor_id=actor)
        db.session.remove()


def _check(page, live_server, path, expected: str) -> None:
    page.goto(live_server("/verify"))
    page.get_by_label("Bestand", exact=False).first.set_input_files(str(path))
    page.get_by_role("button", name="Controleren").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert expected in heading.inner_text(), heading.inner_text()


def test_employer_checks_a_baked_badge(page, live_server, check_page, tmp_path):
    cred_id, actor, png = _issue(live_server, f"sollicitant-{uuid.uuid4().hex[:8]}@example.nl")
    good = tmp_path / "basiszorg.png"
    good.write_bytes(png)
    _check(page, live_server, good, "Geldig")
    said = page.locator(".verdict-sentence").inner_text()
    assert said.startswith("Uitgegeven door") and "Geldig" not in said, said  # said once
    check_page("valid")

    doc = json.loads(extract_png(png))
    doc["name"] = doc["name"].replace("a", "o", 1)  # one changed letter
    forged = tmp_path / "basiszorg-kopie.png"
    forged.write_bytes(bake_png(png, doc))
    _check(page, live_server, forged, "Vervalst")
    who = page.get_by_role("region", name="Wie heeft dit uitgegeven?").inner_text()
    assert "daarna veranderd" in who and "niet met haar sleutel" not in who, who
    check_page("tampered")

    _revoke(live_server, cred_id, actor)
    _check(page, live_server, good, "Ingetrokken")
    check_page("revoked")
