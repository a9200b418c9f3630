"""The language check: every text the code and templates show has its English translation.

Dutch is the source language (the msgids), so a text is "untranslated" when the English
catalogue lacks it, has it empty (one plural form empty counts), or marks it fuzzy. The
catalogue is compared with a fresh extraction, so a new ``_()`` without running
``scripts/i18n`` fails here too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "badges/translations/en/LC_MESSAGES/messages.po"


def _extracted(tmp_path: Path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location", "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_every_shown_text_has_an_english_translation(tmp_path):
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated[key] = all(strings) and not message.fuzzy
    missing = sorted(key for key in _extracted(tmp_path) if not translated.get(key))
    assert not missing, f"untranslated (run scripts/i18n and fill in English): {missing[:20]}"


class _AnyName(dict):
    def __missing__(self, key: str) -> str:
        return "x"


def _formats(text: str) -> bool:
    try:
        text % _AnyName()
    except (ValueError, TypeError, KeyError):
        return False
    return True


def test_every_translation_survives_the_percent_formatting_its_dutch_does():
    """Templates %-format every text (Jinja's newstyle gettext), with or without variables:
    an English "Claim rate (%)" for a Dutch text without a % made the figures page 500."""
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    broken = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(_formats(i) for i in ids):
            broken += [s for s in strings if s and not _formats(s)]
    assert not broken, f"write a lone % as %% or in words: {broken}"
