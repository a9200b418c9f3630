"""Organisation names compared the way a reader compares them.

A forger who calls a self-made key "ROC de Maasvallei." or "ROC Dé Maasvallei"
means the same organisation as "ROC De Maasvallei"; :func:`name_key` makes
those one key (case, accents, punctuation and spaces do not count), so the
verifier can tell when a credential borrows the name of an organisation here.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str | None) -> str:
    """Lower-case letters and digits of ``name`` without accents; "" when none are left."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())[:200]
