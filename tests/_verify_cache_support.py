"""Helpers for the remembered-answer tests of the verifier.

``sql_log`` records the SQL a piece of work sends ("one query", "writes
nothing"); ``count_verifications`` lists the verifications actually made (a
remembered answer makes none); ``frozen_clock`` moves the clock of every
verification and cache check.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from badges.credentials.fetch import NullFetcher
from badges.credentials.verify import pipeline
from badges.kernel.db import db
from badges.verification import outcome as verify_outcome

#: Transaction control (the tests' savepoints), not work.
CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


class SqlLog(list):
    """Statements in the order sent (``list`` of SQL text)."""

    @property
    def queries(self) -> list[str]:
        return [s for s in self if not s.lstrip().upper().startswith(CONTROL)]

    @property
    def writes(self) -> list[str]:
        return [s for s in self.queries if s.lstrip().split(None, 1)[0].upper() in WRITES]


@contextmanager
def sql_log(engine: Engine | None = None) -> Iterator[SqlLog]:
    """Record every statement the engine sends while the block runs."""
    engine = engine if engine is not None else db.engine
    seen = SqlLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_verifications(monkeypatch: pytest.MonkeyPatch) -> list:
    """The verifications actually made from now on, in order (a remembered answer makes none)."""
    made: list = []
    real = verify_outcome.verify_with_facts

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(verify_outcome, "verify_with_facts", counting)
    return made


def frozen_clock(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """From now on every cache check and every verification happens at ``moment``."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return moment if tz is None else moment.astimezone(tz)

    monkeypatch.setattr(verify_outcome, "datetime", Frozen)
    monkeypatch.setattr(pipeline, "datetime", Frozen)


class HostedBadge:
    """An Open Badges 2.0 hosted assertion and its issuer's server (a dict of documents).

    A hosted badge is only as good as what the issuer's server says about it
    now: verifying one fetches it, so its answer must never be remembered.
    """

    url = "https://oldbadges.test/assertions/7"
    issuer = "https://oldbadges.test/issuer"

    def __init__(self) -> None:
        self.assertion = {
            "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": self.url,
            "recipient": {"type": "email", "hashed": False, "identity": "henk@example.nl"},
            "badge": {"type": "BadgeClass", "id": "https://oldbadges.test/badge",
                      "name": "Heftruck rijden", "description": "Veilig heftruck rijden",
                      "issuer": self.issuer, "criteria": {"narrative": "Praktijkexamen"}},
            "issuedOn": "2020-01-01T00:00:00Z", "verification": {"type": "HostedBadge"},
        }
        self.server: dict[str, Any] = {
            self.url: dict(self.assertion),
            self.issuer: {"type": "Issuer", "id": self.issuer, "name": "Opleider BV"},
        }
        self.local_copy = json.dumps(self.assertion).encode()
        self.fetchers: list[NullFetcher] = []

    def fetcher(self) -> NullFetcher:
        """Stands in for ``verification.fetcher``: one fetcher per verification."""
        self.fetchers.append(NullFetcher(self.server))
        return self.fetchers[-1]

    def revoke(self) -> None:
        self.server[self.url] = {**self.assertion, "revoked": True,
                                 "revocationReason": "Onterecht uitgereikt"}
