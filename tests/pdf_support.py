"""Reading our PDFs back the way assistive technology does: pikepdf walks the catalog
and the structure tree; the text is read from fpdf2's core-font literal strings.
:func:`pdfua_problems` checks a PDF against PDF/UA-1 (see there); :func:`read` runs it
too, so read only PDFs made with the production font (DejaVu Sans, embedded)."""

from __future__ import annotations

import io
import itertools
import re
import zlib
from collections.abc import Iterator
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
    langs: list[tuple[str, str]] = field(default_factory=list)  # (type, /Lang) where set
    images: list[Image.Image] = field(default_factory=list)


def read(data: bytes, core_fonts: bool = False) -> Tagged:
    """``core_fonts``: the test made this PDF with fpdf2's core fonts on purpose (to read its
    text back), so the one PDF/UA rule they break, embedding (checkpoint 31), is not held
    against it; tests/web/pdfua checks every PDF with the production font."""
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
            if "/Lang" in elem:
                found.langs.append((kind, str(elem.Lang)))
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
    problems = [p for p in pdfua_problems(data)
                if not (core_fonts and p.startswith("31: font") and "is not embedded" in p)]
    assert not problems, "\n".join(problems)
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


# --- PDF/UA-1 -------------------------------------------------------------------------
# No PDF/UA validator reaches this machine (veraPDF is Java from Maven Central; the PyPI
# and npm wrappers only call a verapdf binary or download its jar at run time). This is
# a checker for the machine-checkable Matterhorn Protocol 1.1 failure conditions that
# apply to our documents; each problem names its checkpoint (01 real content tagged,
# 02 role mapping, 06 metadata, 07 dictionary, 11 natural language, 13 graphics,
# 14 headings, 15 tables, 28 annotations, 31 fonts).

STANDARD_TYPES = frozenset((  # ISO 32000-1 14.8.4
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT",
    "WP", "Figure", "Formula", "Form"))
PAINTING = frozenset(("Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE",
                      "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"))
TEXT_SHOWING = frozenset(("Tj", "TJ", "'", '"'))


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _xmp_problems(root: pikepdf.Dictionary) -> list[str]:
    stream = root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return ["06: no XMP metadata stream in the catalog"]
    xmp = stream.read_bytes().decode("utf-8", "replace")
    problems = []
    part = re.search(r"pdfuaid:part\s*=\s*[\"'](\d+)[\"']|<pdfuaid:part>\s*(\d+)\s*<", xmp)
    if not part:
        problems.append("06: XMP metadata has no PDF/UA identifier (pdfuaid:part)")
    elif (part.group(1) or part.group(2)) != "1":
        problems.append(f"06: pdfuaid:part is {part.group(1) or part.group(2)}, not 1")
    elif "http://www.aiim.org/pdfua/ns/id/" not in xmp:
        problems.append("06: pdfuaid prefix is not bound to the PDF/UA namespace")
    title = re.search(r"<dc:title>(.*?)</dc:title>", xmp, re.S)
    if not title or not re.sub(r"<[^>]*>", "", title.group(1)).strip():
        problems.append("06: XMP metadata has no dc:title")
    return problems


def _struct_problems(pdf: pikepdf.Pdf) -> tuple[list[str], dict[tuple, str] | None]:
    """Problems in the structure tree; and the page objgen + MCID of every tagged
    marked-content reference (what a painted sequence must be found back as)."""
    root = pdf.Root
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return ["01: no structure tree (StructTreeRoot)"], None
    problems: list[str] = []
    role_map = tree.get("/RoleMap") or pikepdf.Dictionary()
    referenced: dict[tuple, str] = {}
    headings: list[int] = []

    def role(elem: pikepdf.Dictionary) -> str:
        kind, seen = str(elem.get("/S", "")), set()
        while kind in role_map and kind not in seen:
            seen.add(kind)
            kind = str(role_map[kind])
        return kind[1:]

    def walk(elem: pikepdf.Dictionary, page: object) -> None:
        kind = role(elem)
        page = elem.get("/Pg", page)
        if kind not in STANDARD_TYPES:
            problems.append(f"02: structure type {elem.get('/S')} is not standard "
                            "and not role-mapped to one")
        if kind == "Figure" and not (str(elem.get("/Alt", "")).strip()
                                     or str(elem.get("/ActualText", "")).strip()):
            problems.append("13: Figure without /Alt")
        if re.fullmatch(r"H[1-6]", kind):
            headings.append(int(kind[1]))
        kids = _as_list(elem.get("/K"))
        elems = [k for k in kids if isinstance(k, pikepdf.Dictionary)
                 and k.get("/Type") not in ("/MCR", "/OBJR")]
        if kind == "Table":
            _table_problems(elem, [role(k) for k in elems], role, problems)
        if kind == "TR" and any(role(k) not in ("TH", "TD") for k in elems):
            problems.append("15: a TR holds something other than TH or TD")
        if kind == "TH" and not _scope(elem):
            problems.append("15: a TH has no /Scope attribute")
        for kid in kids:
            if isinstance(kid, int):
                if page is not None:
                    referenced[(page.objgen, int(kid))] = kind
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                referenced[(kid.get("/Pg", page).objgen, int(kid.MCID))] = kind
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                referenced[("obj", kid.Obj.objgen)] = kind
        for kid in elems:
            walk(kid, page)

    for kid in _as_list(tree.get("/K")):
        if isinstance(kid, pikepdf.Dictionary):
            walk(kid, None)
    if headings and headings[0] != 1:
        problems.append(f"14: the first heading is H{headings[0]}, not H1")
    for before, after in itertools.pairwise(headings):
        if after > before + 1:
            problems.append(f"14: heading levels skip from H{before} to H{after}")
    return problems, referenced


def _table_problems(table: pikepdf.Dictionary, kinds: list[str], role, problems: list[str]) -> None:
    rows: list[pikepdf.Dictionary] = []
    for kid, kind in zip([k for k in _as_list(table.get("/K")) if isinstance(k, pikepdf.Dictionary)
                          and k.get("/Type") not in ("/MCR", "/OBJR")], kinds, strict=True):
        if kind == "TR":
            rows.append(kid)
        elif kind in ("THead", "TBody", "TFoot"):
            rows += [r for r in _as_list(kid.get("/K")) if isinstance(r, pikepdf.Dictionary)
                     and role(r) == "TR"]
        elif kind != "Caption":
            problems.append(f"15: a Table holds a {kind}")
    cells = [c for r in rows for c in _as_list(r.get("/K")) if isinstance(c, pikepdf.Dictionary)]
    if not any(role(c) == "TH" for c in cells):
        problems.append("15: a Table without header cells (TH)")


def _scope(elem: pikepdf.Dictionary) -> bool:
    for attrs in _as_list(elem.get("/A")):
        if isinstance(attrs, pikepdf.Dictionary) and attrs.get("/O") == "/Table" \
                and attrs.get("/Scope") in ("/Row", "/Column", "/Both"):
            return True
    return False


def _fonts(resources: object, seen: set) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    if not isinstance(resources, pikepdf.Dictionary) or (
            resources.objgen in seen and resources.objgen != (0, 0)):
        return
    seen.add(resources.objgen)
    yield from (resources.get("/Font") or {}).items()
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts(xobject.get("/Resources"), seen)


def _font_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems, seen, checked = [], set(), set()
    for page in pdf.pages:
        for name, font in _fonts(page.obj.get("/Resources"), seen):
            if font.objgen in checked and font.objgen != (0, 0):
                continue
            checked.add(font.objgen)
            base = str(font.get("/BaseFont", name)).lstrip("/")
            if font.get("/Subtype") == "/Type3":
                continue
            described = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in
                                             ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"31: font {base} is not embedded")
            if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font:
                problems.append(f"31: font {base} has no ToUnicode map")
    return problems


def _content_problems(page: pikepdf.Page, referenced: dict[tuple, str] | None) -> list[str]:
    """Every painting operator lies in an /Artifact or in a tagged sequence whose MCID
    the structure tree refers to; the two do not nest in each other."""
    problems: set[str] = set()
    stack: list[str] = []  # "artifact", "tagged" or "other" per open sequence
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BMC", "BDC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" else None
            if tag == "/Artifact":
                if "tagged" in stack:
                    problems.add("01: an Artifact inside tagged content")
                stack.append("artifact")
            elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                if "artifact" in stack:
                    problems.add("01: tagged content inside an Artifact")
                mcid = int(props.MCID)
                if referenced is not None and (page.obj.objgen, mcid) not in referenced:
                    problems.add(f"01: {tag} MCID {mcid} is not in the structure tree")
                stack.append("tagged")
            else:
                stack.append("other")
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in PAINTING and "tagged" not in stack and "artifact" not in stack:
            what = "text" if op in TEXT_SHOWING else "an image or form" if op in (
                "Do", "INLINE IMAGE") else "a path" if op != "sh" else "a shading"
            problems.add(f"01: {what} ({op}) is neither tagged nor an Artifact")
    return sorted(problems)


def _annotation_problems(page: pikepdf.Page, referenced: dict[tuple, str] | None) -> list[str]:
    annots = [a for a in _as_list(page.obj.get("/Annots"))
              if a.get("/Subtype") not in ("/Popup",)]
    if not annots:
        return []
    problems = []
    if page.obj.get("/Tabs") != "/S":
        problems.append("28: a page with annotations has no /Tabs /S")
    for annot in annots:
        kind = (referenced or {}).get(("obj", annot.objgen))
        if annot.get("/Subtype") == "/Link":
            if kind != "Link":
                problems.append("28: a link annotation is not inside a Link structure element")
            if not str(annot.get("/Contents", "")).strip():
                problems.append("28: a link annotation has no /Contents")
        elif annot.get("/Subtype") not in ("/Widget", "/PrinterMark") and kind != "Annot":
            problems.append(f"28: a {annot.get('/Subtype')} annotation is not inside an Annot")
    return problems


def pdfua_problems(data: bytes) -> list[str]:
    """What breaks PDF/UA-1 here, by Matterhorn checkpoint; empty when nothing does."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        problems = _xmp_problems(root)
        if not str(root.get("/Lang", "")).strip():
            problems.append("11: no document language (/Lang)")
        prefs = root.get("/ViewerPreferences") or {}
        if prefs.get("/DisplayDocTitle") is not True:
            problems.append("07: ViewerPreferences/DisplayDocTitle is not true")
        mark_info = root.get("/MarkInfo") or {}
        if mark_info.get("/Marked") is not True:
            problems.append("01: MarkInfo/Marked is not true")
        if mark_info.get("/Suspects") is True:
            problems.append("01: MarkInfo/Suspects is true")
        struct, referenced = _struct_problems(pdf)
        problems += struct
        problems += _font_problems(pdf)
        for number, page in enumerate(pdf.pages, 1):
            problems += [f"{p} (page {number})" for p in _content_problems(page, referenced)]
            problems += [f"{p} (page {number})" for p in
                         _annotation_problems(page, referenced)]
    return list(dict.fromkeys(problems))
