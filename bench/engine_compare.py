"""The engine beside Digital Bazaar's JavaScript implementation, on the same credential.

Runs ``badges bench`` (Python, one core) and ``bench/engine_js.mjs`` (Node, one core)
on the same unsigned keuzedeel credential and prints both with the ratios. Needs the
npm packages of the independent-verifier test (``scripts/install-test-tools``).

    .venv/bin/python bench/engine_compare.py [-n 300]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from badges.credentials.bench import run_bench, sample_credential
from badges.credentials.loader import CONTEXT_FILES, CONTEXTS_DIR

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=300)
    args = parser.parse_args()
    python = run_bench(args.n)["eddsa-rdfc-2022"]
    with tempfile.TemporaryDirectory() as tmp:
        cred = Path(tmp) / "credential.json"
        cred.write_text(json.dumps(sample_credential()))
        mapping = Path(tmp) / "contexts.json"
        mapping.write_text(json.dumps({url: str(CONTEXTS_DIR / name)
                                       for url, name in CONTEXT_FILES.items()}))
        node = shutil.which("node") or "node"
        out = subprocess.run(  # noqa: S603 - our own script and files
            [node, str(ROOT / "bench" / "engine_js.mjs"), str(cred), str(mapping), str(args.n)],
            check=True, capture_output=True, text=True, timeout=600,
        ).stdout
    js = json.loads(out)
    print(json.dumps({
        "n": args.n,
        "python": python,
        "digitalbazaar_js": {"sign": js["sign"], "verify": js["verify"]},
        "ratio": {op: round(python[op]["ops_per_s"] / js[op]["ops_per_s"], 1)
                  for op in ("sign", "verify")},
    }, indent=2))


if __name__ == "__main__":
    main()
