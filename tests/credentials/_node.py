"""Running Digital Bazaar's libraries on Node from the tests (tests/node_verifier).

The node packages are pinned by tests/node_verifier/package-lock.json and
installed once into tests/node_verifier/node_modules (git-ignored). A failing
install fails the test: an interop check that quietly skips is no check.

Batch scripts (``canonize.mjs``, ``sign.mjs``) read one JSON document per line
on stdin and answer one JSON line each, so one Node process serves a whole
batch: starting Node and loading jsonld.js costs far more than one document.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from _interop import CONTEXTS, W3C, load_json

from badges.credentials.loader import CONTEXT_FILES, MICROCREDENTIAL_V1

NODE_DIR = Path(__file__).resolve().parents[1] / "node_verifier"


def install() -> None:
    """``npm ci`` unless node_modules is already up to date with the lock file."""
    marker = NODE_DIR / "node_modules" / ".package-lock.json"
    lock = NODE_DIR / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    assert npm, "npm is required for the independent verifier"
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"npm ci failed:\n{done.stdout}\n{done.stderr}"


def node() -> str:
    install()
    found = shutil.which("node")
    assert found, "node is required for the independent verifier"
    return found


#: Bundled contexts that are ours, not a standard's: no other verifier knows them.
OWN_CONTEXTS = frozenset({MICROCREDENTIAL_V1})


def context_map(folder: Path, *, standard_only: bool = False) -> Path:
    """A JSON file mapping every bundled context URL to its pinned file (only the
    standards' contexts with ``standard_only``: what any other verifier has)."""
    path = folder / "contexts.json"
    path.write_text(json.dumps({u: str(CONTEXTS / f) for u, f in CONTEXT_FILES.items()
                                if not (standard_only and u in OWN_CONTEXTS)}),
                    encoding="utf-8")
    return path


def run_batch(script: str, jobs: list[Any], timeout: float = 120, *,
              standard_only: bool = False) -> list[dict[str, Any]]:
    """Feed ``jobs`` to a batch script, one JSON line each; its answers, in order."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [node(), script, str(context_map(Path(tmp), standard_only=standard_only))],
            cwd=NODE_DIR,
            input="".join(json.dumps(j, ensure_ascii=False) + "\n" for j in jobs),
            capture_output=True, text=True, encoding="utf-8", timeout=timeout, check=False)
    answers = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert done.returncode == 0 and len(answers) == len(jobs), done.stderr
    return answers


def w3c_key_pair() -> dict[str, str]:
    """The W3C EdDSA test vectors' key pair: a fixed key both sides can sign with."""
    return load_json(W3C / "keyPair.json")


def w3c_did_key_method() -> str:
    """The W3C key pair's did:key verification method (resolvable offline)."""
    pub = w3c_key_pair()["publicKeyMultibase"]
    return f"did:key:{pub}#{pub}"


def digital_bazaar_sign(credentials: list[dict[str, Any]],
                        created: str = "2025-07-01T00:00:00Z",
                        suite: str = "eddsa-rdfc-2022") -> list[dict[str, Any]]:
    """Sign each credential on Node under the W3C key pair (did:key), with eddsa-rdfc-2022
    or the legacy ``Ed25519Signature2020``."""
    pair = w3c_key_pair()
    jobs = [{"credential": c, "publicKeyMultibase": pair["publicKeyMultibase"],
             "secretKeyMultibase": pair["privateKeyMultibase"],
             "verificationMethod": w3c_did_key_method(), "created": created, "suite": suite}
            for c in credentials]
    answers = run_batch("sign.mjs", jobs)
    for answer in answers:
        assert "signed" in answer, answer
    return [a["signed"] for a in answers]
