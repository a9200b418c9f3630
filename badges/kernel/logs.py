"""Secrets stay out of logs: tokens in capability URLs are redacted.

A link that works for whoever holds it (a share page ``/s/…``, a claim link,
a password reset, an evidence link, an invitation, an email confirmation) is
as good as a password: an access log or an error report that keeps the URL
hands the credential, the account or the evidence to whoever reads the log.

:func:`install` wraps the process's log record factory once, so every record
(gunicorn's access log, werkzeug's, Flask's "Exception on /claim/…") is
redacted however the server configured its handlers.
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[redacted]"

#: Path prefixes whose next segment is a bearer token. ``tests/web/test_logs.py``
#: checks that every route with a ``<token>`` argument is covered.
CAPABILITY_PREFIXES = (
    "s", "claim", "password/reset", "evidence", "uitnodiging", "account/confirm",
    "account/email/confirm", "account/email/undo", "passport/emails/confirm",
    "account/merge/confirm", "auth/oidc/link", "verklaring", "c/bevestig", "c",
    "herinneringen/uit", "oid4vci/offers",
)
_SLASH = r"(?:/|%2F)"  # also inside a query string: ``/login?next=%2Fclaim%2F…``
_PATH_TOKEN = re.compile(
    "(" + _SLASH + "(?:" + "|".join(re.escape(p).replace("/", _SLASH) for p in CAPABILITY_PREFIXES)
    + ")" + _SLASH + r")([^/?#&%\s\"']+)", re.I)
_QUERY_TOKEN = re.compile(r"([?&](?:token|code|key)=)([^&#\s\"']+)", re.I)


def redact(text: str) -> str:
    """``text`` with every capability token in a URL or path replaced by ``[redacted]``."""
    if "/" not in text and "=" not in text:
        return text
    text = _PATH_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)
    return _QUERY_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)


_installed = False


def install() -> None:
    """Redact every log record this process creates (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(factory)
