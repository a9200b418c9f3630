"""Credentials we issue, as an independent verifier sees them.

Digital Bazaar's ``@digitalbazaar/vc`` checks the proof and
``@digitalbazaar/vc-bitstring-status-list`` the status, reading only what a
credential carries and what this service publishes: each credential names its
revocation *and* its suspension list, and the lists (signed, same issuer) and the
issuer's keys come from their public URLs through the Flask test client. Nothing
here asks our own verifier or database what the state is.
"""

from __future__ import annotations

import pytest
from _node import run_batch

from badges.catalogue.models import AchievementKind
from badges.issuing import endorsements
from badges.issuing import services as issuing
from badges.issuing.models import CredentialState
from badges.kernel.extensions import db
from badges.organisations.models import Organisation
from tests._facts_support import issue_full
from tests._verify_support import issue

pytestmark = pytest.mark.node

JSONLD = {"Accept": "application/ld+json"}


def _published(client, credential: dict, *also: str) -> dict[str, dict]:
    """The status lists and the issuer's controller document, as served to anyone."""
    docs: dict[str, dict] = {}
    wanted = [entry["statusListCredential"] for entry in credential["credentialStatus"]]
    wanted += [credential["issuer"]["id"], *also]
    for url in wanted:
        response = client.get(url, headers=JSONLD)
        assert response.status_code == 200, url
        docs[url] = response.get_json()
    return docs


def _check(client, credentials: list[dict]) -> list[dict]:
    jobs = [{"credential": c, "documents": _published(client, c)} for c in credentials]
    return run_batch("status.mjs", jobs)


def _states(answer: dict) -> dict[str, bool]:
    assert answer["verified"], answer
    return {s["purpose"]: s["set"] for s in answer["statuses"]}


def test_independent_checker_sees_revoked_and_suspended(app, demo, client):
    with app.app_context():
        active = issue(email="actief@example.nl")
        suspended = issue(email="geschorst@example.nl")
        revoked = issue(email="ingetrokken@example.nl")
        issuing.change_state(suspended, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        issuing.change_state(revoked, CredentialState.REVOKED, "fraude", actor_id=None)
        documents = [active.document, suspended.document, revoked.document]

    answers = _check(client, documents)

    assert _states(answers[0]) == {"revocation": False, "suspension": False}
    assert _states(answers[1]) == {"revocation": False, "suspension": True}
    assert _states(answers[2]) == {"revocation": True, "suspension": False}


def test_reinstated_credential_is_clear_again(app, demo, client):
    with app.app_context():
        cred = issue(email="terug@example.nl")
        issuing.change_state(cred, CredentialState.SUSPENDED, "onderzoek", actor_id=None)
        issuing.change_state(cred, CredentialState.ACTIVE, "afgerond", actor_id=None)
        document = cred.document

    assert _states(_check(client, [document])[0]) == {"revocation": False,
                                                      "suspension": False}


def test_credential_with_embedded_endorsement_verifies_and_so_does_the_endorsement(
        app, demo, client):
    with app.test_request_context():
        cred = issue(email="eerst@example.nl")
        employer = db.session.scalar(db.select(Organisation).filter_by(
            slug="zorggroep-de-linde"))
        endorsements.endorse(employer, cred.achievement, "Sterk programma.")
        cred = issue(email="met-endorsement@example.nl")
        document = cred.document
    (endorsement,) = document["credentialSubject"]["achievement"]["endorsement"]
    endorser = endorsement["issuer"]["id"]
    answer = run_batch("status.mjs", [
        {"credential": document, "documents": _published(client, document, endorser)},
    ])[0]
    assert _states(answer) == {"revocation": False, "suspension": False}
    tampered = {**endorsement, "name": endorsement["name"] + "!"}
    ok, broken = run_batch("status.mjs", [  # no status entries: the proof is checked
        {"credential": endorsement, "documents": _published_endorser(client, endorser)},
        {"credential": tampered, "documents": _published_endorser(client, endorser)},
    ])
    assert ok["verified"], ok
    assert not broken["verified"]


def _published_endorser(client, endorser: str) -> dict[str, dict]:
    return {endorser: client.get(endorser, headers=JSONLD).get_json()}


def test_co_issued_praktijkverklaring_verifies_proof_by_proof(app, demo, client):
    """Co-issuing: the college and the leerbedrijf each sign with their own published key;
    Digital Bazaar checks both proofs against the two organisations' controller documents."""
    from badges.issuing import co_issuing

    with app.test_request_context():
        college = db.session.scalar(db.select(Organisation).filter_by(
            slug="maasvallei-zorg-welzijn"))
        builder = db.session.scalar(db.select(Organisation).filter_by(
            slug="bouwbedrijf-van-houten"))
        achievement = issue(email="eerst-samen@example.nl").achievement
        row = co_issuing.request(college, builder, issuing.IssueRequest(
            achievement=achievement, recipient_email="samen@example.nl",
            recipient_name="Samen"), actor_id=None)
        document = co_issuing.accept(row, builder, actor_id=None).document
    partner = document["proof"][1]["verificationMethod"].split("#")[0]
    answer = run_batch("status.mjs", [
        {"credential": document, "documents": _published(client, document, partner)}])[0]
    assert _states(answer) == {"revocation": False, "suspension": False}
    assert answer["proofs"] == [True, True], answer


@pytest.mark.parametrize("kind", list(AchievementKind), ids=lambda k: k.value)
def test_every_kind_with_every_fact_verifies_with_only_the_standard_contexts(app, demo, client,
                                                                             kind):
    """What any other verifier has: the W3C and 1EdTech contexts, nothing of ours."""
    with app.app_context():
        document = issue_full(kind, f"{kind.value}@example.nl").document
    assert not any(isinstance(c, str) and "skillspas" in c for c in document["@context"])
    [answer] = run_batch("status.mjs", [{"credential": document,
                                         "documents": _published(client, document)}],
                         standard_only=True)
    assert answer["verified"], answer
