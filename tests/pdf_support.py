"""Reading our PDFs back the way assistive technology does: pikepdf walks the catalog
and the structure tree; the text is read from fpdf2's core-font literal strings."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field

import pikepdf
from PIL import Image


@dataclass
class Tagged:
    lang: str
    title: str
    shows_title: bool
    marked: bool
    tags: list[str] = field(default_factory=list)  # structure types, depth first
    alts: dict[str, list[str]] = field(default_factory=dict)  # type -> alt texts
    images: list[Image.Image] = field(default_factory=list)


def read(data: bytes) -> Tagged:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        prefs = root.get("/ViewerPreferences") or {}
        found = Tagged(lang=str(root.get("/Lang", "")), title=str(pdf.docinfo.get("/Title", "")),
                       shows_title=bool(prefs.get("/DisplayDocTitle", False)),
                       marked=bool((root.get("/MarkInfo") or {}).get("/Marked", False)))

        def walk(elem: pikepdf.Dictionary) -> None:
            kind = str(elem.get("/S", ""))[1:]
            found.tags.append(kind)
            if "/Alt" in elem:
                found.alts.setdefault(kind, []).append(str(elem.Alt))
            kids = elem.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
                    walk(kid)

        tree = root.get("/StructTreeRoot")
        if tree is not None:
            kids = tree.K
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)
        for page in pdf.pages:
            for image in page.get_images().values():
                found.images.append(pikepdf.PdfImage(image).as_pil_image())
            _check_marked_content(pdf, page)
        problems = pdf.check_pdf_syntax()
        assert not problems, problems  # qpdf finds nothing wrong
    return found


def _check_marked_content(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Every tagged sequence on the page is found back through the parent tree, in an
    element of the same type on this page (what a screen reader follows)."""
    mcids = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and "/MCID" in operands[1]:
            mcids.append((str(operands[0]), int(operands[1].MCID)))
    if not mcids:
        return
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    elems = dict(zip(nums[::2], nums[1::2], strict=True))[int(page.obj.StructParents)]
    for tag, mcid in mcids:
        elem = elems[mcid]
        assert str(elem.S) == tag and mcid in [int(k) for k in elem.K], (tag, mcid)
        assert elem.Pg.objgen == page.obj.objgen, (tag, mcid)


def text(data: bytes) -> str:
    """The text of a PDF made with fpdf2's core fonts (tests point FONT_DIR elsewhere)."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", content, re.S):
            lines.append(re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return "\n".join(lines)


def same_picture(a: Image.Image, b: Image.Image) -> bool:
    return a.convert("L").tobytes() == b.convert("L").tobytes() and a.size == b.size
