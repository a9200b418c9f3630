"""Shared pieces for the fuzz tests: a demo world, real credentials to mutate, strategies.

Hypothesis runs many examples inside one test (one rolled-back transaction),
so the function-scoped fixtures are loaded once per test, not per example.
Example counts stay modest for the CI budget.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from badges.accounts.models import User
from badges.issuing.models import Credential
from badges.kernel.db import db
from badges.kernel.mail import LogMailer
from badges.organisations.models import Organisation
from tests.conftest import csrf_token, post_form

FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=15)

# What a refusal or a report may answer; never 500.
PAGE_OK = {200, 302, 303, 400, 413, 415, 422}
API_OK = {200, 202, 400, 413, 415, 422}


@pytest.fixture
def world(app, demo) -> dict[str, Any]:
    """Real material: Vanessa's signed credential (JSON and baked PNG), her college."""
    from badges.passport import share

    app.extensions["badges.mailer"] = LogMailer()
    with app.test_request_context():
        vanessa = db.session.scalar(db.select(User).filter_by(email="vanessa@example.nl"))
        cred = db.session.scalar(db.select(Credential).filter_by(recipient_user_id=vanessa.id)
                                 .order_by(Credential.id))
        college = db.session.scalar(db.select(Organisation).filter_by(
            slug="maasvallei-zorg-welzijn"))
        png = share.credential_file(cred, "png")[0]
        out = {"doc": json.loads(json.dumps(cred.document)), "png": png,
               "vanessa_id": vanessa.id, "college_id": college.id, "college": college.slug}
    yield out
    app.extensions.pop("badges.mailer", None)


def logged_in(app, email: str):
    client = app.test_client()
    post_form(client, "/login", {"email": email, "password": "skillspas-demo"})
    return client


def token_for(client, page: str) -> str:
    return csrf_token(client, page)


# --- strategies ----------------------------------------------------------------------------

HOSTILE_TEXT = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co"]), max_size=50),
    st.sampled_from(["\x00", "\u202e", "\ufeff", "\ud7ff", "../../etc/passwd", "<script>x</script>",
                     "' OR 1=1 --", "%s%s%n", "{{7*7}}", "data:text/html,x", "x" * 100_000,
                     "https://127.0.0.1:22/", "did:key:zz", "é" * 5000]),
)

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                         st.floats(allow_nan=False, allow_infinity=False), HOSTILE_TEXT)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(HOSTILE_TEXT, children, max_size=5)),
    max_leaves=25,
)


def deep(depth: int) -> Any:
    value: Any = "x"
    for i in range(depth):
        value = {"k": value} if i % 2 else [value]
    return value


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if len(prefix) > 12:  # an earlier "deep" edit: do not walk into it
        return out
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw, doc: dict) -> dict:
    """A copy of ``doc`` with 1–3 hostile edits: drop, replace, wrong type, huge, deep."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        action = draw(st.sampled_from(["drop", "replace", "type", "huge", "deep", "control"]))
        if action == "drop":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(JSON_VALUES)
        elif action == "type":
            parent[last] = draw(st.sampled_from([None, 0, -1, True, [], {}, 1e308, [None]]))
        elif action == "huge":
            parent[last] = "A" * draw(st.sampled_from([10_000, 100_000]))
        elif action == "deep":
            parent[last] = deep(draw(st.sampled_from([50, 200, 400])))
        else:
            parent[last] = f"{parent[last]}\u0000\u202e\u0007" if isinstance(parent[last], str) \
                else "\u0000"
    return doc
