"""Load, once, what the first verification in a process would otherwise load.

The pinned contexts, pyld's processed contexts, the fast RDF path's caches
and the compiled JSON Schema cost a few hundred milliseconds on first use.
A server that forks its workers from one loaded process (gunicorn with
``preload_app``) calls :func:`warm_up` there once, and every worker, and
every worker started later to replace one, begins warm.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .bench import sample_credential
from .data_integrity import sign
from .keys import generate_ed25519, public_key_multibase
from .verify import verify_input
from .verify.report import Report


def warm_up() -> Report:
    """Sign and verify one sample credential; only caches are kept.

    The report comes back for tests: its signature checks pass, and its status
    list (an example URL, not fetched) leaves it indeterminate.
    """
    key = generate_ed25519()
    multibase = public_key_multibase(key.public_key())
    method = f"did:key:{multibase}#{multibase}"
    signed = sign(sample_credential(issuer_id=f"did:key:{multibase}"), key, method,
                  created=datetime.now(UTC))
    return verify_input(signed)  # the whole pipeline: every check, the schema, the contexts
