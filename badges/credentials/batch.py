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

:func:`sign_parts` hands the signed documents back a part at a time, in
order, as each part is ready: the caller stores part *n* while the workers
still sign part *n + 1*, so the database work of a bulk run overlaps the
signing instead of following it. Given a ``build`` function it sends the
workers the arguments of each document instead of the document, and they
build it too (``build_credential`` and its schema check are the other big
per-credential cost, and the caller's process has the database work to do).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .data_integrity import sign

PARALLEL_THRESHOLD = 200
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


Build = Callable[..., dict[str, Any]]


def _sign_all(items: list[Any], key: Ed25519PrivateKey, verification_method: str,
              created: datetime, build: Build | None) -> list[dict[str, Any]]:
    docs = [build(**item) for item in items] if build else items
    return [sign(doc, key, verification_method, created=created) for doc in docs]


def _sign_chunk(seed: bytes, verification_method: str, created: datetime,
                items: list[Any], build: Build | None = None) -> list[dict[str, Any]]:
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return _sign_all(items, key, verification_method, created, build)


def _exit_with_parent(parent: int) -> None:
    """In a worker: leave when the process that started the pool is gone.

    A worker waits on a queue it also holds the writing end of, so it would
    never notice its parent dying without a clean shutdown (a killed web
    worker, a test runner's process): it would stay, idle, for good.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


def _get_pool(processes: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != processes:
        if _pool is not None:
            _pool.shutdown(cancel_futures=True)
        _pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_exit_with_parent, initargs=(os.getpid(),))
        _pool_size = processes
    return _pool


@atexit.register
def _shutdown() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class Signing:
    """A batch handed to the workers at once; :meth:`parts` gives it back in order.

    ``items`` are the documents, or with ``build`` (a module-level function,
    so the workers can import it) the keyword arguments to build each one.
    Everything is submitted when the object is made, so the workers sign
    while the caller does other work (stores an earlier batch, plans the
    next one). Small batches and ``processes=1`` are signed in this process,
    as one part, when :meth:`parts` is first read.
    """

    def __init__(self, items: list[Any], key: Ed25519PrivateKey, verification_method: str, *,
                 created: datetime, processes: int | None = None,
                 build: Build | None = None) -> None:
        processes = default_processes() if processes is None else processes
        self._local = (items, key, verification_method, created, build)
        self._futures: list[Future[list[dict[str, Any]]]] = []
        if processes <= 1 or len(items) < PARALLEL_THRESHOLD:
            return
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        size = -(-len(items) // (processes * 4))  # a few parts per process: even load
        pool = _get_pool(processes)
        self._futures = [pool.submit(_sign_chunk, seed, verification_method, created,
                                     items[i:i + size], build)
                         for i in range(0, len(items), size)]

    def parts(self) -> Iterator[list[dict[str, Any]]]:
        if not self._futures:
            yield _sign_all(*self._local)
            return
        try:
            for future in self._futures:
                yield future.result()
        finally:
            self.cancel()  # the caller gave up (an error while storing): stop the rest

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()


def sign_parts(items: list[Any], key: Ed25519PrivateKey, verification_method: str, *,
               created: datetime, processes: int | None = None,
               build: Build | None = None) -> Iterator[list[dict[str, Any]]]:
    """The signed documents in order, one part at a time as soon as each part is signed."""
    yield from Signing(items, key, verification_method, created=created, processes=processes,
                       build=build).parts()


def sign_many(docs: list[dict[str, Any]], key: Ed25519PrivateKey, verification_method: str, *,
              created: datetime, processes: int | None = None) -> list[dict[str, Any]]:
    """``[sign(doc) for doc in docs]``, on several cores for large batches."""
    return [doc for part in sign_parts(docs, key, verification_method, created=created,
                                       processes=processes) for doc in part]
