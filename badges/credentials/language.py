"""Text in more than one language, the way VC Data Model 2.0 writes it (§11.1,
"Language and Base Direction"): a property whose value is a list of value objects,
``[{"@value": "Samenwerken", "@language": "nl"}, {"@value": "Teamwork", "@language": "en"}]``.

OB 3.0's context leaves ``name``, ``description`` and ``narrative`` untyped, so such
values expand to language-tagged literals and are signed as such. A property with one
language stays a plain string, as OB 3.0's JSON Schema describes it.
"""

from __future__ import annotations

from typing import Any

#: Shown when the reader's language is missing.
FALLBACK = "nl"


def tagged(text: str, language: str, translations: dict[str, str]) -> str | list[dict[str, str]]:
    """``text`` (in ``language``) alone, or with its translations as value objects."""
    others = [(lang, value) for lang, value in translations.items()
              if value and lang != language]
    if not others:
        return text
    return [{"@value": text, "@language": language},
            *({"@value": value, "@language": lang} for lang, value in others)]


def is_language_values(value: Any) -> bool:
    """Is ``value`` a list of (or one) ``@value`` objects?"""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(i, dict) and isinstance(i.get("@value"), str)
                               for i in items)


def in_language(value: Any, language: str = FALLBACK) -> str | None:
    """The text of ``value`` in ``language``; else Dutch; else the first text given.

    Tolerates anything (it reads documents from strangers): a plain string, one value
    object, a list of them, or a language map (``{"nl": ..., "en": ...}``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "@value" not in value:  # a language map
        for lang in (language, FALLBACK, "en"):
            if isinstance(value.get(lang), str):
                return str(value[lang])
        return None
    items = [i for i in (value if isinstance(value, list) else [value])
             if isinstance(i, dict) and isinstance(i.get("@value"), str)]
    for lang in (language, FALLBACK):
        for item in items:
            if str(item.get("@language", "")).lower().split("-")[0] == lang:
                return str(item["@value"])
    return str(items[0]["@value"]) if items else None


def first_text(value: Any) -> Any:
    """``value`` with language values replaced by their first text (for checks that
    know only plain strings, such as OB 3.0's JSON Schema)."""
    if is_language_values(value):
        items = value if isinstance(value, list) else [value]
        return items[0]["@value"]
    if isinstance(value, dict):
        return {k: first_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [first_text(v) for v in value]
    return value
