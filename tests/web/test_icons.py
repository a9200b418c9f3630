"""Status icons render everywhere: each is a glyph of DejaVu Sans (Debian's default
sans font, also the PDF font), not an emoji that a machine without an emoji font
shows as an empty box. The text beside each icon carries the meaning; the icon
must still not be a box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from badges.passport import services as passport
from badges.verification.web import texts

ROOT = Path(__file__).resolve().parents[2]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture(scope="module")
def glyphs() -> set[int]:
    return set(TTFont(DEJAVU).getBestCmap())


def _symbols(text: str) -> set[str]:
    return {ch for ch in text if ord(ch) > 0x2000}


def test_verify_and_passport_icons_are_in_the_font(glyphs):
    icons = {answer[1] for answer in texts.ANSWERS.values()}
    icons |= {status[1] for status in passport.STATUS.values()}
    assert "✓" in icons and "◷" in icons  # the tables were read
    assert {icon for icon in icons if ord(icon) not in glyphs} == set()


def test_icons_in_python_sources_and_templates_are_in_the_font(glyphs):
    hidden_icon = re.compile(r'aria-hidden="true">([^<{]{1,3})<')
    found: dict[str, str] = {}
    for path in (ROOT / "badges").rglob("*.py"):
        found.update({ch: str(path) for ch in _symbols(path.read_text(encoding="utf-8"))})
    for path in (ROOT / "templates").rglob("*.html"):
        for match in hidden_icon.finditer(path.read_text(encoding="utf-8")):
            found.update({ch: str(path) for ch in _symbols(match.group(1))})
    assert found  # icons exist to check
    missing = {f"U+{ord(ch):04X} in {where}" for ch, where in found.items() if ord(ch) not in glyphs}
    assert missing == set()
