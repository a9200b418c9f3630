"""Batch signing on several processes gives exactly what signing one by one gives."""

from __future__ import annotations

from datetime import UTC, datetime

from badges.credentials import batch
from badges.credentials.bench import sample_credential
from badges.credentials.data_integrity import sign, verify_proof
from badges.credentials.keys import generate_ed25519


def test_parallel_output_is_byte_identical_to_serial():
    key = generate_ed25519()
    created = datetime(2026, 3, 1, tzinfo=UTC)
    docs = [sample_credential(number=i) for i in range(batch.PARALLEL_THRESHOLD + 10)]
    parallel = batch.sign_many(docs, key, "https://x.example/issuers/a#key-1", created=created,
                               processes=2)
    serial = [sign(d, key, "https://x.example/issuers/a#key-1", created=created) for d in docs]
    assert parallel == serial
    verify_proof(parallel[-1], parallel[-1]["proof"], key.public_key())


def test_small_batches_and_one_process_stay_in_process():
    key = generate_ed25519()
    created = datetime(2026, 3, 1, tzinfo=UTC)
    docs = [sample_credential(number=i) for i in range(3)]
    assert batch.sign_many(docs, key, "https://x.example/i#k", created=created, processes=1) == [
        sign(d, key, "https://x.example/i#k", created=created) for d in docs]
