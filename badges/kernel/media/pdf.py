"""The one PDF base for receipts, certificates and the passport overview.

DejaVu (Debian's fonts-dejavu-core) covers Dutch and most other scripts;
without it the PDF falls back to the core Helvetica font, which is latin-1
only, so :meth:`Pdf.text_of` replaces what it cannot show instead of failing.

The PDFs are tagged for screen readers and claim PDF/UA-1 (XMP ``pdfuaid:part``,
checked in the tests against the Matterhorn Protocol's machine-checkable conditions):
document language and title (shown as the window title), a structure tree with
headings, paragraphs, tables (header cells with a scope) and figures with alt text,
and page furniture marked as artifacts.
fpdf2 tags only images and outline titles itself (always as flat /Figure), so
the marked-content sequences and nested structure elements are made here with
fpdf2's own structure-tree objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any, cast

from fpdf import FPDF, ViewerPreferences
from fpdf.structure_tree import StructElem, StructureTreeBuilder
from fpdf.syntax import PDFString

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


#: Table header cells say what they head (PDF/UA: TH needs a /Scope); ours head their row.
SCOPES = {"TH": "<</O /Table /Scope /Row>>"}


class _Elem(StructElem):
    """Our structure elements: below the top level they take /Pg from their top-level
    ancestor (fpdf2 gives it only to top-level ones); TH gets its scope; an element in
    another language than the document's says so (/Lang)."""

    __slots__ = ("_lang", "_top")
    _top: StructElem | None
    _lang: str | None

    def _build_obj_dict(self, security_handler: Any = None) -> dict[str, object]:
        if self.pg is None and self._top is not None:
            self.pg = self._top.pg
        built = super()._build_obj_dict(security_handler)
        if self.s[1:] in SCOPES:
            built["/A"] = SCOPES[self.s[1:]]
        if self._lang:
            built["/Lang"] = PDFString(self._lang).serialize()
        return built


def xmp(title: str, lang: str) -> str:
    """XMP metadata claiming PDF/UA-1, with the title (dc:title) in the document's language."""
    title, lang = escape(title), escape(lang)
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    pdfuaid:part="1" xmp:CreatorTool="Skillspas">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""


class _Tree(StructureTreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.nested: list[StructElem] = []

    def __iter__(self) -> Iterator[Any]:
        yield from super().__iter__()
        yield from self.nested


class Pdf(FPDF):
    def __init__(self, *, page_break_margin: float = 18, lang: str = "nl", title: str = "") -> None:
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
        self.tree = _Tree()
        self.struct_builder = self.tree
        self._mcids: dict[int, int] = {}
        self.set_lang(lang)  # screen readers pick the voice from it
        self.set_creator("Skillspas")
        if title:
            self.set_title(self.text_of(title))
            self.viewer_preferences = ViewerPreferences(display_doc_title=True)
            self.set_xmp_metadata(xmp(self.text_of(title), lang))

    def text_of(self, value: object) -> str:
        """Core fonts are latin-1 only: ë survives, anything else becomes '?'."""
        text = "" if value is None else str(value)
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    # --- tagging -------------------------------------------------------------------------

    def group(self, tag: str, parent: StructElem | None = None) -> StructElem:
        """A structure element without content of its own (Table, TR, L, ...)."""
        return self._elem(tag, parent, None)

    def _elem(self, tag: str, parent: StructElem | None, mcid: int | None,
              alt: str | None = None, lang: str | None = None) -> StructElem:
        tree = self.tree
        doc = tree.doc_struct_elem
        kids: list[int] = [] if mcid is None else [mcid]
        if parent is None:
            elem = _Elem(f"/{tag}", doc, kids, page_number=self.page, alt=alt)
            elem._top = None
            doc.k.append(elem)
        else:
            elem = _Elem(f"/{tag}", parent, kids, page_number=self.page, alt=alt)
            # the top-level ancestor, whose /Pg fpdf2 fills in
            elem._top = (parent._top or parent) if isinstance(parent, _Elem) else parent
            parent.k.append(elem)
            tree.nested.append(elem)
        elem._lang = lang if lang and lang != self.lang else None
        if mcid is not None:
            spid = tree.spid_per_page_number.setdefault(self.page, len(tree.spid_per_page_number))
            tree.struct_tree_root.parent_tree.nums[spid].append(elem)  # index == MCID
            self.pages[self.page].struct_parents = spid
        return elem

    @contextmanager
    def tagged(self, tag: str, parent: StructElem | None = None,
               alt: str | None = None, lang: str | None = None) -> Iterator[StructElem]:
        """Content drawn inside is one marked-content sequence of a new ``tag`` element.

        It must stay on one page: callers check the room first (:meth:`room_for`).
        """
        mcid = self._mcids.get(self.page, 0)
        self._mcids[self.page] = mcid + 1
        elem = self._elem(tag, parent, mcid, alt, lang)
        self._out(f"/{tag} <</MCID {mcid}>> BDC")
        yield elem
        self._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Page furniture (footers, rules) that a screen reader skips."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    def room_for(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fits on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def lines_height(self, text: str, width: float, height: float) -> float:
        lines = self.multi_cell(width, height, self.text_of(text), dry_run=True,
                                output="LINES")
        return len(cast(list[str], lines)) * height

    def text_block(self, tag: str, text: str, *, size: float = 10, style: str = "",
                   height: float = 5, parent: StructElem | None = None,
                   width: float = 0, lang: str | None = None) -> StructElem:
        """A heading or paragraph, tagged, kept on one page; ``lang`` where its text is
        in another language than the document."""
        self.set_font(self.family, style, size)
        self.room_for(self.lines_height(text, width, height))
        x = self.get_x()
        with self.tagged(tag, parent, lang=lang) as elem:
            self.multi_cell(width, height, self.text_of(text), new_x="LEFT", new_y="NEXT", align="L")
        self.set_x(x)
        return elem

    def figure(self, image: Any, alt: str, *, x: float, y: float, w: float, h: float,
               parent: StructElem | None = None) -> None:
        with self.tagged("Figure", parent, alt=self.text_of(alt)):
            self.image(image, x=x, y=y, w=w, h=h)

    def label_table(self, rows: list[tuple[str, str]], *, label_width: float = 55,
              size: float = 10, height: float = 5.5) -> None:
        """Two columns, a header cell (the label) and a data cell per row, tagged as a table.

        A row that does not fit starts a new page and there a new table.
        """
        table: StructElem | None = None
        value_width = self.epw - label_width
        for label, value in rows:
            self.set_font(self.family, "", size)
            need = max(self.lines_height(value or "-", value_width, height),
                       self.lines_height(label, label_width, height))
            if table is None or self.get_y() + need > self.page_break_trigger:
                self.room_for(need)
                table = self.group("Table")
            row = self.group("TR", table)
            top = self.get_y()
            self.set_x(self.l_margin)
            self.text_block("TH", label, size=size, style="B", height=height, parent=row,
                            width=label_width)
            self.set_xy(self.l_margin + label_width, top)
            self.text_block("TD", value or "-", size=size, height=height, parent=row,
                            width=value_width)
            self.set_xy(self.l_margin, max(self.get_y(), top + need) + 1.5)
