"""The one PDF base for receipts and the passport overview.

DejaVu (Debian's fonts-dejavu-core) covers Dutch and most other scripts;
without it the PDF falls back to the core Helvetica font, which is latin-1
only, so :meth:`Pdf.text_of` replaces what it cannot show instead of failing.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class Pdf(FPDF):
    def __init__(self, *, page_break_margin: float = 18) -> None:
        super().__init__(format="A4")
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        self.unicode = False
        if regular.is_file():
            try:
                self.add_font("DejaVu", "", str(regular))
                self.add_font("DejaVu", "B", str(bold if bold.is_file() else regular))
                self.unicode = True
            except (OSError, RuntimeError, ValueError):
                self.unicode = False
        self.family = "DejaVu" if self.unicode else "Helvetica"
        self.set_auto_page_break(auto=True, margin=page_break_margin)
        self.set_margins(18, 18, 18)

    def text_of(self, value: object) -> str:
        """Core fonts are latin-1 only: ë survives, anything else becomes '?'."""
        text = "" if value is None else str(value)
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")
