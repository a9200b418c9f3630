"""``batch.Signing`` with a ``build`` function: the workers build and sign each credential
from its arguments and hand back exactly what building and signing in order here gives;
cancelling a signing is safe and leaves the pool usable."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import CancelledError
from datetime import UTC, datetime
from pathlib import Path

import pytest

from badges.credentials import batch, documents
from badges.credentials.data_integrity import sign, verify_proof
from badges.credentials.keys import generate_ed25519

VM = "https://skillspas.test/issuers/roc-x#key-1"
CREATED = datetime(2026, 3, 1, tzinfo=UTC)
COUNT = batch.PARALLEL_THRESHOLD + 4  # just enough to go to the pool


def _arguments(n: int) -> dict:
    """The keyword arguments of build_credential for credential ``n`` (no random salt)."""
    return {
        "credential_id": f"https://skillspas.test/credentials/{n:05d}",
        "issuer": documents.IssuerData(id="https://skillspas.test/issuers/roc-x", name="ROC X"),
        "achievement_data": documents.AchievementData(
            id="https://skillspas.test/achievements/k0123", name="Keuzedeel Duurzaamheid",
            description="Duurzaam werken", criteria_narrative="Examen behaald",
            kind="ext:Keuzedeel"),
        "recipient": documents.RecipientData(email=f"student{n}@example.nl",
                                             salt=f"{n:016x}"),
        "valid_from": datetime(2026, 3, 1, 9, tzinfo=UTC),
        "results": [documents.ResultData(value=str(n % 10), status="Completed")],
    }


@pytest.fixture(scope="module", autouse=True)
def _stop_the_pool():
    """Stop the workers this module started: under xdist a worker process ends without
    running ``atexit``, and spawned pool workers would outlive it."""
    yield
    if batch._pool is not None:
        batch._pool.shutdown(wait=True, cancel_futures=True)
        batch._pool, batch._pool_size = None, 0


@pytest.fixture(scope="module")
def key():
    return generate_ed25519()


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [_arguments(n) for n in range(COUNT)]


@pytest.fixture(scope="module")
def expected(items, key) -> list[dict]:
    """Built and signed one by one, in order, in this process."""
    return [sign(documents.build_credential(**item), key, VM, created=CREATED)
            for item in items]


class TestWorkersBuildAndSign:
    def test_pool_output_is_identical_to_building_and_signing_in_order(
            self, items, key, expected) -> None:
        signing = batch.Signing(items, key, VM, created=CREATED, processes=2,
                                build=documents.build_credential)
        parts = list(signing.parts())
        assert len(parts) > 1  # several parts: the pool signed them (in-process is one part)
        assert [doc for part in parts for doc in part] == expected
        last = parts[-1][-1]
        assert last["id"] == f"https://skillspas.test/credentials/{COUNT - 1:05d}"
        verify_proof(last, last["proof"], key.public_key())

    def test_sign_parts_passes_build_on(self, items, key, expected) -> None:
        out = [doc for part in batch.sign_parts(items, key, VM, created=CREATED, processes=2,
                                                build=documents.build_credential)
               for doc in part]
        assert out == expected

    def test_small_batches_build_in_process_as_one_part(self, items, key, expected) -> None:
        signing = batch.Signing(items[:3], key, VM, created=CREATED, processes=2,
                                build=documents.build_credential)
        signing.cancel()  # nothing submitted: nothing to cancel, nothing lost
        assert list(signing.parts()) == [expected[:3]]


class TestCancel:
    def test_cancel_on_a_started_signing_is_safe_and_spares_other_signings(
            self, items, key, expected) -> None:
        ahead = batch.Signing(items, key, VM, created=CREATED, processes=2,
                              build=documents.build_credential)
        behind = batch.Signing(items, key, VM, created=CREATED, processes=2,
                               build=documents.build_credential)  # queued after ``ahead``
        behind.cancel()
        behind.cancel()  # twice: still fine
        got: list[dict] = []
        try:
            for part in behind.parts():
                got.extend(part)
        except CancelledError:
            pass  # the parts not yet started are gone, as asked
        assert got == expected[:len(got)]  # whatever did finish is right and in order
        assert len(got) < len(expected)  # and the rest was not signed after all
        # The other signing on the same pool is untouched.
        assert [doc for part in ahead.parts() for doc in part] == expected

    def test_leaving_parts_early_stops_the_rest_and_the_pool_still_works(
            self, items, key, expected) -> None:
        signing = batch.Signing(items, key, VM, created=CREATED, processes=2,
                                build=documents.build_credential)
        reading = signing.parts()
        first = next(reading)
        reading.close()  # the caller gave up (an error while storing part one)
        assert first == expected[:len(first)]
        again = batch.sign_many([documents.build_credential(**i) for i in items], key, VM,
                                created=CREATED, processes=2)
        assert again == expected


ORPHAN_SCRIPT = """
import os, sys
from datetime import UTC, datetime
from badges.credentials import batch
from badges.credentials.bench import sample_credential
from badges.credentials.keys import generate_ed25519

if __name__ == "__main__":
    docs = [sample_credential(number=i) for i in range(batch.PARALLEL_THRESHOLD)]
    signing = batch.Signing(docs, generate_ed25519(), "did:key:z#z",
                            created=datetime(2026, 1, 1, tzinfo=UTC), processes=2)
    next(signing.parts())  # the workers are up and have signed
    print(" ".join(str(pid) for pid in batch._pool._processes), flush=True)
    os._exit(0)  # gone without shutting the pool down: a killed web worker, a test runner
"""


class TestWorkersOutliveNoParent:
    def test_workers_leave_when_the_process_that_started_them_is_gone(self, tmp_path) -> None:
        script = tmp_path / "orphans.py"
        script.write_text(ORPHAN_SCRIPT)
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                              timeout=120, cwd=Path(__file__).resolve().parents[2], check=True)
        pids = [int(pid) for pid in done.stdout.split()]
        assert len(pids) == 2
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in pids), "pool workers outlived their parent"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes (its parent is gone, init reaps it).
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
