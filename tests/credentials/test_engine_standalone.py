"""The engine is a library: it signs and verifies with Flask and SQLAlchemy absent.

Run in a fresh interpreter whose import system refuses Flask, its extensions
and SQLAlchemy, so that an import of any of them anywhere on the engine's
path fails the test (import-linter checks the same statically).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib.abc, json, sys

BLOCKED = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "flask_babel",
           "flask_limiter", "flask_migrate", "sqlalchemy", "werkzeug")

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not available to the engine")
        return None

sys.meta_path.insert(0, Refuse())

from badges.credentials import data_integrity, keys
from badges.credentials.bench import sample_credential
from badges.credentials.verify import ResolvedKey, verify_input

key = keys.generate_ed25519()
did = keys.did_key_from_public(key.public_key())
method = did + "#" + did.removeprefix("did:key:")
doc = sample_credential()
doc["issuer"] = {"id": did, "type": ["Profile"], "name": "Engine test"}
signed = data_integrity.sign(doc, key, method)

class Keys:
    def resolve(self, verification_method):
        if verification_method == method:
            return ResolvedKey(key.public_key(), did, True)
        return None

report = verify_input(signed, key_resolver=Keys()).to_dict()
tampered = json.loads(json.dumps(signed))
tampered["credentialSubject"]["achievement"]["name"] = "Something else"
altered = verify_input(tampered, key_resolver=Keys()).to_dict()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
print(json.dumps({"proof": [c["status"] for c in report["checks"] if c["id"] == "proof"],
                  "altered": [c["status"] for c in altered["checks"] if c["id"] == "proof"],
                  "loaded": loaded}))
"""


def test_engine_signs_and_verifies_without_flask_or_sqlalchemy():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["loaded"] == []
    assert outcome["proof"] == ["pass"]
    assert outcome["altered"] == ["fail"]
