"""Signing many credentials at once on every core.

A bulk run of 10,000 credentials is dominated by canonicalisation and
signing, which are CPU-bound Python: one process uses one core. Batches
above ``PARALLEL_THRESHOLD`` are signed by a pool of worker processes
started with *spawn* (never *fork*: a forked child would inherit the
caller's database connections and could close them on exit). The output is
byte-for-byte what :func:`data_integrity.sign` gives in-process; small
batches, and ``processes=1``, never start a pool.

The private key travels to the workers as its raw 32-byte seed over a local
pipe and lives only in their memory.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .data_integrity import sign

PARALLEL_THRESHOLD = 200
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def _sign_chunk(seed: bytes, verification_method: str, created: datetime,
                docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return [sign(doc, key, verification_method, created=created) for doc in docs]


def _get_pool(processes: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != processes:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
        _pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))
        _pool_size = processes
    return _pool


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def sign_many(docs: list[dict[str, Any]], key: Ed25519PrivateKey, verification_method: str, *,
              created: datetime, processes: int | None = None) -> list[dict[str, Any]]:
    """``[sign(doc) for doc in docs]``, on several cores for large batches."""
    processes = default_processes() if processes is None else processes
    if processes <= 1 or len(docs) < PARALLEL_THRESHOLD:
        return [sign(doc, key, verification_method, created=created) for doc in docs]
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    size = -(-len(docs) // (processes * 4))  # a few chunks per process: even load
    chunks = [docs[i:i + size] for i in range(0, len(docs), size)]
    pool = _get_pool(processes)
    futures = [pool.submit(_sign_chunk, seed, verification_method, created, chunk)
               for chunk in chunks]
    return [doc for future in futures for doc in future.result()]
