"""One spelling per email address, and no look-alikes.

An address is compared, stored and hashed in one form, so ``vanessa@…`` typed in fullwidth
letters (U+FF56 …), ``Vanessa@…`` and a decomposed ``é`` do not make separate
accounts, and a credential issued to one spelling reaches the owner of the other:

1. Unicode NFKC (fullwidth and compatibility forms become plain letters,
   decomposed accents are composed), spaces trimmed, lower case;
2. the domain in its IDNA 2008 / UTS 46 ASCII form (``exämple.nl`` →
   ``xn--exmple-cua.nl``), the form mail servers use.

The confusables policy (:func:`problem`) refuses what could pass for another
address: any letter outside the Latin script, before or after the ``@`` (so a
Cyrillic ``а`` or a Greek ``ο`` never stands in for a Latin ``a`` or ``o``, also
not in an ``xn--`` domain). Accented Latin letters (``ü``, ``é``), as Dutch and
other European addresses use, are fine. That is stricter than RFC 6531 allows,
on purpose: a single script leaves no mixed-script look-alikes (UTS 39's
"single script" level, restricted to Latin).
"""

from __future__ import annotations

import unicodedata

import idna


def _ascii_domain(domain: str) -> str | None:
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None


def normalise(email: str) -> str:
    """The one form an address is stored and compared in (never raises)."""
    email = unicodedata.normalize("NFKC", email).strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return email
    return f"{local}@{_ascii_domain(domain) or domain}"


def _latin_or_ascii(text: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ") for ch in text)


def _latin_domain(domain: str) -> bool:
    """Latin letters only, also when the domain comes in its ``xn--`` form."""
    ascii_form = _ascii_domain(domain)
    if ascii_form is None or not _latin_or_ascii(domain):
        return False
    if "xn--" not in ascii_form:
        return True
    try:
        return _latin_or_ascii(idna.decode(ascii_form))
    except idna.IDNAError:
        return False


def in_page_language(message: tuple[str, str]) -> str:
    """The Dutch or English half of ``message``, as the current page speaks."""
    from flask import has_request_context
    from flask_babel import get_locale

    if not has_request_context():
        return message[0]
    locale = get_locale()
    return message[1] if locale is not None and locale.language == "en" else message[0]


def problem(email: str) -> tuple[str, str] | None:
    """Why an address is refused by the look-alike policy, (Dutch, English); None if fine."""
    email = unicodedata.normalize("NFKC", email).strip().lower()
    local, at, domain = email.rpartition("@")
    if not at:
        return None  # not an address at all: the caller's format check says so
    if not _latin_or_ascii(local):
        return ("Gebruik vóór de @ alleen Latijnse letters (ook met accenten), cijfers en tekens "
                "als . _ - +. Letters uit een ander schrift (zoals Cyrillisch of Grieks) kunnen "
                "op gewone letters lijken.",
                "Before the @, use only Latin letters (accents allowed), digits and signs like "
                ". _ - +. Letters from another script (such as Cyrillic or Greek) can look like "
                "ordinary letters.")
    if not _latin_domain(domain):
        return ("Het domein na de @ mag alleen Latijnse letters (ook met accenten), cijfers en "
                "streepjes bevatten.",
                "The domain after the @ may only contain Latin letters (accents allowed), digits "
                "and hyphens.")
    return None
