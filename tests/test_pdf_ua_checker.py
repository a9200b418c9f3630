"""The PDF/UA-1 checker in tests/pdf_support.py rejects a PDF that breaks each rule it
checks: a small PDF made with our own PDF base passes, and each mutation of it (made
with pikepdf) is caught, with its Matterhorn checkpoint."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pytest

from badges.kernel.media import pdf as pdf_base
from badges.kernel.media.qr import qr_png
from tests import pdf_support


def _made(font_dir=None) -> bytes:
    if font_dir is not None:
        pdf_base.FONT_DIR, before = font_dir, pdf_base.FONT_DIR
    try:
        doc = pdf_base.Pdf(lang="nl", title="Proef")
    finally:
        if font_dir is not None:
            pdf_base.FONT_DIR = before
    doc.add_page()
    doc.text_block("H1", "Proef", size=16, style="B")
    doc.figure(io.BytesIO(qr_png("https://example.org/", box_size=2)), "QR-code",
               x=18, y=30, w=20, h=20)
    doc.set_y(55)
    doc.text_block("H2", "Feiten")
    doc.label_table([("Uitgever", "ROC"), ("Datum", "1 juni")])
    doc.text_block("P", "Een alinea.")
    with doc.artifact():
        doc.line(18, 200, 100, 200)
    return bytes(doc.output())


@pytest.fixture(scope="module")
def good() -> bytes:
    return _made()


def _mutated(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _elems(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    found = []

    def walk(elem):
        if elem.get("/S") == f"/{kind}":
            found.append(elem)
        for kid in pdf_support._as_list(elem.get("/K")):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                walk(kid)
    for kid in pdf_support._as_list(pdf.Root.StructTreeRoot.K):
        walk(kid)
    return found


def _xmp(pdf: pikepdf.Pdf, old: str, new: str) -> None:
    text = pdf.Root.Metadata.read_bytes().decode().replace(old, new)
    pdf.Root.Metadata.write(text.encode())


def _append(pdf: pikepdf.Pdf, content: bytes) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(content), prepend=False)


def _retype(kind: str, new: str, index: int = 0) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        _elems(pdf, kind)[index].S = pikepdf.Name(f"/{new}")
    return change


def _link(pdf: pikepdf.Pdf, *, tabs: bool, contents: bool, tagged: bool) -> None:
    page = pdf.pages[0]
    annot = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[18, 700, 100, 712],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/"))))
    if contents:
        annot.Contents = pikepdf.String("Naar example.org")
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([annot]))
    if tabs:
        page.obj.Tabs = pikepdf.Name.S
    if tagged:
        document = _elems(pdf, "Document")[0]
        link = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Link, P=document, Pg=page.obj,
            K=pikepdf.Array([pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annot,
                                                Pg=page.obj)])))
        document.K.append(link)
        tree = pdf.Root.StructTreeRoot
        key = int(tree.get("/ParentTreeNextKey", len(tree.ParentTree.Nums) // 2 + 1))
        annot.StructParent = key
        tree.ParentTree.Nums.extend([key, link])
        tree.ParentTreeNextKey = key + 1


def test_a_pdf_made_by_our_base_passes(good):
    assert pdf_support.pdfua_problems(good) == []
    assert "pdfuaid:part" in pikepdf.open(io.BytesIO(good)).Root.Metadata.read_bytes().decode()


def test_a_well_made_link_passes(good):
    data = _mutated(good, lambda pdf: _link(pdf, tabs=True, contents=True, tagged=True))
    assert pdf_support.pdfua_problems(data) == []


def test_a_role_mapped_type_passes(good):
    def change(pdf):
        _retype("P", "Alinea")(pdf)
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary({"/Alinea": pikepdf.Name.P})
    assert pdf_support.pdfua_problems(_mutated(good, change)) == []


BROKEN: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "no XMP": (lambda pdf: pdf.Root.__delitem__("/Metadata"),
               "06: no XMP metadata stream in the catalog"),
    "no pdfuaid": (lambda pdf: _xmp(pdf, 'pdfuaid:part="1"', ""),
                   "06: XMP metadata has no PDF/UA identifier (pdfuaid:part)"),
    "pdfuaid part 2": (lambda pdf: _xmp(pdf, 'pdfuaid:part="1"', 'pdfuaid:part="2"'),
                       "06: pdfuaid:part is 2, not 1"),
    "no dc:title": (lambda pdf: _xmp(pdf, "dc:title>", "dc:subject>"),
                    "06: XMP metadata has no dc:title"),
    "no Lang": (lambda pdf: pdf.Root.__delitem__("/Lang"), "11: no document language (/Lang)"),
    "title not shown": (lambda pdf: pdf.Root.ViewerPreferences.__setitem__(
        "/DisplayDocTitle", False), "07: ViewerPreferences/DisplayDocTitle is not true"),
    "not marked": (lambda pdf: pdf.Root.MarkInfo.__setitem__("/Marked", False),
                   "01: MarkInfo/Marked is not true"),
    "no structure tree": (lambda pdf: pdf.Root.__delitem__("/StructTreeRoot"),
                          "01: no structure tree (StructTreeRoot)"),
    "untagged text": (lambda pdf: _append(pdf, b"BT /F1 10 Tf 20 20 Td (los) Tj ET"),
                      "01: text (Tj) is neither tagged nor an Artifact (page 1)"),
    "untagged path": (lambda pdf: _append(pdf, b"20 20 m 80 20 l S"),
                      "01: a path (S) is neither tagged nor an Artifact (page 1)"),
    "untagged image": (lambda pdf: _append(
        pdf, b"q 20 0 0 20 20 20 cm /" + next(iter(pdf.pages[0].get_images())).encode()[1:]
        + b" Do Q"), "01: an image or form (Do) is neither tagged nor an Artifact (page 1)"),
    "MCID outside the tree": (lambda pdf: _append(
        pdf, b"/P <</MCID 40>> BDC BT /F1 10 Tf (los) Tj ET EMC"),
        "01: /P MCID 40 is not in the structure tree (page 1)"),
    "artifact in tagged content": (lambda pdf: _append(
        pdf, b"/P <</MCID 40>> BDC /Artifact BMC 20 20 m 80 20 l S EMC EMC"),
        "01: an Artifact inside tagged content (page 1)"),
    "figure without Alt": (lambda pdf: _elems(pdf, "Figure")[0].__delitem__("/Alt"),
                           "13: Figure without /Alt"),
    "first heading H2": (_retype("H1", "H2"), "14: the first heading is H2, not H1"),
    "skipped heading level": (_retype("H2", "H3"), "14: heading levels skip from H1 to H3"),
    "TH without Scope": (lambda pdf: _elems(pdf, "TH")[0].__delitem__("/A"),
                         "15: a TH has no /Scope attribute"),
    "table without TH": (lambda pdf: [_retype("TH", "TD", 0)(pdf), _retype("TH", "TD", 0)(pdf)],
                         "15: a Table without header cells (TH)"),
    "P in a TR": (_retype("TD", "P"), "15: a TR holds something other than TH or TD"),
    "unknown type": (_retype("P", "Alinea"),
                     "02: structure type /Alinea is not standard and not role-mapped to one"),
    "annotations without Tabs": (lambda pdf: _link(pdf, tabs=False, contents=True, tagged=True),
                                 "28: a page with annotations has no /Tabs /S (page 1)"),
    "link outside a Link element": (
        lambda pdf: _link(pdf, tabs=True, contents=True, tagged=False),
        "28: a link annotation is not inside a Link structure element (page 1)"),
    "link without Contents": (lambda pdf: _link(pdf, tabs=True, contents=False, tagged=True),
                              "28: a link annotation has no /Contents (page 1)"),
}


@pytest.mark.parametrize("rule", list(BROKEN))
def test_each_broken_rule_is_caught(good, rule):
    change, problem = BROKEN[rule]
    assert problem in pdf_support.pdfua_problems(_mutated(good, change))


def test_a_core_font_is_not_embedded(tmp_path):
    """What the text-reading tests use (FONT_DIR elsewhere: fpdf2's Helvetica) is caught;
    which is why the PDF/UA tests run with the production font."""
    problems = pdf_support.pdfua_problems(_made(font_dir=tmp_path))
    assert problems and all(p.startswith("31: font Helvetica") for p in problems), problems
