"""The documents besides plain credentials, as Digital Bazaar sees them with only the standard
contexts: an LLO trajectory award, both CLRs (trajectory and passport), a status list
credential itself, and a credential taken out of a baked PNG and a baked SVG."""

from __future__ import annotations

import json

import pytest
from _node import run_batch

from badges.accounts.models import User
from badges.catalogue.models import Achievement
from badges.credentials.baking import extract_png, extract_svg
from badges.credentials.verify.checks import as_list
from badges.issuing import services as issuing
from badges.kernel.db import db
from badges.organisations.models import Organisation
from badges.passport import clr_export, share
from badges.trajectories import clr as trajectory_clr
from badges.trajectories.models import AwardState, TrajectoryAward
from tests._verify_support import issue

pytestmark = pytest.mark.node

LAST_STEP = "Praktijkverklaring Ondersteunen bij dagelijkse zorg"  # of the demo trajectory

JSONLD = {"Accept": "application/ld+json"}


def _documents(client, credential: dict) -> dict[str, dict]:
    """What the credential points at (status lists, its issuer), as served to anyone."""
    wanted = [e["statusListCredential"] for e in as_list(credential.get("credentialStatus"))]
    issuer = credential["issuer"]
    wanted.append(issuer["id"] if isinstance(issuer, dict) else issuer)
    docs = {}
    for url in wanted:
        answer = client.get(url, headers=JSONLD)
        assert answer.status_code == 200, url
        docs[url] = answer.get_json()
    return docs


def test_awards_clrs_status_lists_and_baked_files_verify_with_only_standard_contexts(app, demo, client):
    with app.test_request_context():
        # Vanessa completes the demo's automatic LLO trajectory: its award is issued.
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        linde = db.session.scalar(db.select(Organisation).filter_by(slug="zorggroep-de-linde"))
        last = db.session.scalar(db.select(Achievement).filter_by(name=LAST_STEP))
        issuing.issue(linde, issuing.IssueRequest(achievement=last, recipient_email=vanessa.email,
                                                  recipient_name=vanessa.name))
        award = db.session.scalar(db.select(TrajectoryAward).filter_by(
            user_id=vanessa.id, state=AwardState.ISSUED))
        assert award is not None and award.credential is not None
        llo = award.credential.document
        trajectory = trajectory_clr.build(award)
        passport = clr_export.build_for_user(vanessa)
        credential = issue(email="gebakken@example.nl")
        png, _, _ = share.credential_file(credential, "png")
        svg, _, _ = share.credential_file(credential, "svg")
    status_list = client.get(as_list(credential.document["credentialStatus"])[0]["statusListCredential"],
                             headers=JSONLD).get_json()
    from_png = json.loads(extract_png(png))
    from_svg = json.loads(extract_svg(svg))
    assert from_png == credential.document == from_svg
    named = {"LLO award": llo, "trajectory CLR": trajectory, "passport CLR": passport,
             "status list": status_list, "baked PNG": from_png, "baked SVG": from_svg}
    answers = run_batch("status.mjs", [{"credential": doc, "documents": _documents(client, doc)}
                                       for doc in named.values()], standard_only=True)
    for (name, _), answer in zip(named.items(), answers, strict=True):
        assert answer["verified"], (name, answer)
