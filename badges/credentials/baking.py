"""Baking: carrying a credential inside its badge image (OB 3.0 section 5.3).

PNG: one ``iTXt`` chunk with keyword ``openbadgecredential``, uncompressed,
placed before ``IEND``; the text is the credential JSON or the compact JWT.
SVG: an ``<openbadges:credential>`` element (namespace
``https://purl.imsglobal.org/ob/v3p0``) directly inside the root ``<svg>``;
JSON goes in CDATA, a JWT in the ``verify`` attribute.

Baked images arrive from strangers (uploads to the public verifier), so
extraction treats every byte as hostile: CRCs are checked, sizes are capped,
compressed text is inflated with a bound, and SVG is parsed with defusedxml
(no entity expansion, no external references). Every failure is a
``BakingError`` with a message a person can read, never a crash.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any
from xml.etree.ElementTree import Element  # type only; parsing uses defusedxml

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .errors import BilingualError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
OB2_KEYWORD = b"openbadges"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
OB2_NS = "http://openbadges.org"
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024
MAX_CHUNKS = 10_000


class BakingError(BilingualError, ValueError):
    """An image that cannot be baked or read. Carries nl/en messages for the report."""



def _as_text(credential: dict[str, Any] | str) -> str:
    if isinstance(credential, dict):
        return json.dumps(credential, ensure_ascii=False, separators=(",", ":"))
    if isinstance(credential, str):
        return credential.strip()
    raise TypeError("credential must be a dict (JSON) or a str (JSON text or compact JWT)")


# --------------------------------------------------------------------------- PNG


def _chunks(png: bytes) -> list[tuple[bytes, bytes, int]]:
    """(type, data, offset) for every chunk, with CRC and bounds checked."""
    if len(png) > MAX_IMAGE_BYTES:
        raise BakingError("too_large", "De afbeelding is te groot.", "The image is too large.")
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not_png", "Dit is geen PNG-bestand.", "This is not a PNG file.")
    chunks: list[tuple[bytes, bytes, int]] = []
    pos = len(PNG_SIGNATURE)
    while pos < len(png):
        if len(png) - pos < 12 or len(chunks) >= MAX_CHUNKS:
            raise BakingError("corrupt_png", "Het PNG-bestand is afgekapt of beschadigd.",
                              "The PNG file is truncated or corrupt.")
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        ctype = png[pos + 4:pos + 8]
        end = pos + 12 + length
        if length > 2**31 - 1 or end > len(png) or not ctype.isalpha():
            raise BakingError("corrupt_png", "Een PNG-blok is beschadigd.",
                              "A PNG chunk is corrupt.")
        data = png[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length:end])
        if zlib.crc32(ctype + data) & 0xFFFFFFFF != crc:
            name = ctype.decode("latin-1")
            raise BakingError("bad_crc", f"Het PNG-blok {name} heeft een onjuiste controlesom.",
                              f"The PNG chunk {name} has a bad CRC.")
        chunks.append((ctype, data, pos))
        pos = end
        if ctype == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise BakingError("corrupt_png", "Het PNG-bestand heeft geen IEND-blok.",
                          "The PNG file has no IEND chunk.")
    return chunks


def _make_chunk(ctype: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + ctype + data
            + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF))


def _parse_itxt(data: bytes) -> tuple[bytes, str]:
    """(keyword, text) of an iTXt chunk, inflating compressed text with a bound."""
    try:
        keyword, rest = data.split(b"\x00", 1)
        flag, method = rest[0], rest[1]
        _lang, rest = rest[2:].split(b"\x00", 1)
        _translated, text = rest.split(b"\x00", 1)
    except (ValueError, IndexError) as exc:
        raise BakingError("corrupt_itxt", "Een iTXt-blok is beschadigd.",
                          "An iTXt chunk is corrupt.") from exc
    if flag == 1:
        if method != 0:
            raise BakingError("corrupt_itxt", "Onbekende compressie in iTXt-blok.",
                              "Unknown compression in iTXt chunk.")
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_TEXT_BYTES + 1)
        except zlib.error as exc:
            raise BakingError("corrupt_itxt", "Het gecomprimeerde iTXt-blok is beschadigd.",
                              "The compressed iTXt chunk is corrupt.") from exc
        if len(text) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
            raise BakingError("too_large", "De ingebakken credential is te groot.",
                              "The baked credential is too large.")
    if len(text) > MAX_TEXT_BYTES:
        raise BakingError("too_large", "De ingebakken credential is te groot.",
                          "The baked credential is too large.")
    try:
        return keyword, text.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError("corrupt_itxt", "De ingebakken tekst is geen UTF-8.",
                          "The baked text is not UTF-8.") from exc


def bake_png(png: bytes, credential: dict[str, Any] | str) -> bytes:
    """Return ``png`` with the credential in one uncompressed iTXt chunk before IEND.

    An existing ``openbadgecredential`` chunk is replaced: two would make the
    image ambiguous, and a verifier might read the stale one.
    """
    text = _as_text(credential).encode("utf-8")
    if len(text) > MAX_TEXT_BYTES:
        raise BakingError("too_large", "De credential is te groot om in te bakken.",
                          "The credential is too large to bake.")
    out = bytearray(PNG_SIGNATURE)
    for ctype, data, _ in _chunks(png):
        if ctype == b"iTXt" and data.split(b"\x00", 1)[0] == KEYWORD:
            continue
        if ctype == b"IEND":
            out += _make_chunk(b"iTXt", KEYWORD + b"\x00\x00\x00\x00\x00" + text)
        out += _make_chunk(ctype, data)
    return bytes(out)


def extract_png_any(png: bytes) -> tuple[str, str] | None:
    """(version, text) of the baked assertion: ("ob3", ...) or ("ob2", ...), else None."""
    found: dict[bytes, str] = {}
    for ctype, data, _ in _chunks(png):
        if ctype == b"iTXt" and data.split(b"\x00", 1)[0] in (KEYWORD, OB2_KEYWORD):
            keyword, text = _parse_itxt(data)
            if keyword in found:
                raise BakingError("duplicate", "De afbeelding bevat meer dan één credential.",
                                  "The image carries more than one credential.")
            found[keyword] = text.strip()
    if KEYWORD in found:
        return "ob3", found[KEYWORD]
    if OB2_KEYWORD in found:
        return "ob2", found[OB2_KEYWORD]
    return None


def extract_png(png: bytes) -> str | None:
    """The OB 3.0 credential text baked into ``png``, or None when there is none."""
    result = extract_png_any(png)
    return result[1] if result and result[0] == "ob3" else None


# --------------------------------------------------------------------------- SVG

_SVG_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?svg[\s>/]")
_EXISTING = re.compile(
    r"<openbadges:credential\b[^>]*?(?:/>|>.*?</openbadges:credential\s*>)\s*", re.DOTALL
)


def _parse_svg(svg: str | bytes) -> Element:
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    if len(raw) > MAX_IMAGE_BYTES:
        raise BakingError("too_large", "De afbeelding is te groot.", "The image is too large.")
    try:
        root: Element = SafeET.fromstring(raw, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise BakingError("unsafe_svg", "Het SVG-bestand bevat verboden XML-constructies.",
                          "The SVG file uses forbidden XML constructs (entities).") from exc
    except (SafeET.ParseError, ValueError) as exc:
        raise BakingError("not_svg", "Het SVG-bestand is geen geldige XML.",
                          "The SVG file is not valid XML.") from exc
    if root.tag not in ("{http://www.w3.org/2000/svg}svg", "svg"):
        raise BakingError("not_svg", "Dit is geen SVG-afbeelding.", "This is not an SVG image.")
    return root


def _end_of_start_tag(text: str, start: int) -> int:
    """Index just past the '>' closing the tag that begins at ``start`` (quote-aware)."""
    quote = ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == ">":
            return i + 1
    raise BakingError("not_svg", "Het SVG-bestand is afgekapt.", "The SVG file is truncated.")


def bake_svg(svg: str | bytes, credential: dict[str, Any] | str) -> str:
    """Return the SVG text with one ``<openbadges:credential>`` as first child of the root.

    Text-level insertion keeps the artwork byte-for-byte; the document is
    parsed first so we never bake into something that is not a safe SVG.
    """
    _parse_svg(svg)
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    text = _EXISTING.sub("", text)
    match = _SVG_ROOT.search(text)
    if match is None:
        raise BakingError("not_svg", "Geen <svg>-element gevonden.", "No <svg> element found.")
    start = match.start()
    end = _end_of_start_tag(text, start)
    start_tag = text[start:end]
    if "xmlns:openbadges" not in start_tag:
        close = len(start_tag) - (2 if start_tag.endswith("/>") else 1)
        start_tag = f'{start_tag[:close]} xmlns:openbadges="{OB3_NS}"{start_tag[close:]}'
    payload = _as_text(credential)
    if payload.startswith("{"):
        cdata = payload.replace("]]>", "]]]]><![CDATA[>")
        element = f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>"
    else:
        attr = payload.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        element = f'<openbadges:credential verify="{attr}"/>'
    if start_tag.endswith("/>"):
        baked = f"{text[:start]}{start_tag[:-2]}>{element}</svg>{text[end:]}"
    else:
        baked = f"{text[:start]}{start_tag}\n{element}{text[end:]}"
    # Text surgery could in theory hit an <svg inside a comment: prove the result.
    if extract_svg(baked) != payload:
        raise BakingError("bake_failed", "Inbakken in deze SVG is mislukt.",
                          "Baking into this SVG failed.")
    return baked


def extract_svg_any(svg: str | bytes) -> tuple[str, str] | None:
    """(version, text) of the credential in an SVG: OB 3.0 or OB 2.0 assertion, else None."""
    root = _parse_svg(svg)
    for version, tag in (("ob3", f"{{{OB3_NS}}}credential"), ("ob2", f"{{{OB2_NS}}}assertion")):
        elements = root.findall(f".//{tag}")
        if len(elements) > 1:
            raise BakingError("duplicate", "De afbeelding bevat meer dan één credential.",
                              "The image carries more than one credential.")
        if elements:
            element = elements[0]
            verify = element.get("verify")
            value = verify if verify else (element.text or "")
            if len(value) > MAX_TEXT_BYTES:
                raise BakingError("too_large", "De ingebakken credential is te groot.",
                                  "The baked credential is too large.")
            return version, value.strip()
    return None


def extract_svg(svg: str | bytes) -> str | None:
    """The OB 3.0 credential text baked into an SVG, or None when there is none."""
    result = extract_svg_any(svg)
    return result[1] if result and result[0] == "ob3" else None
