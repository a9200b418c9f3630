"""Checking uploaded badge images: PNG or SVG only, small, and harmless.

Threats guarded against: a file that claims to be a PNG but is something
else (or a decompression bomb), and an SVG that runs script when opened
directly, loads remote content (tracking, mixed content) or expands
entities (billion laughs). Anything we are not sure about is refused with a
message the issuer can act on; nothing is "cleaned" silently.
"""

from __future__ import annotations

import io
import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from badges.kernel.errors import ServiceError
from badges.kernel.media.images import MAX_IMAGE_BYTES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_SIDE, MAX_SIDE = 32, 2048
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}
# Only links inside the document (#id) or inline images (data:image/...) are allowed.
_SAFE_HREF = re.compile(r"^\s*(#|data:image/(png|jpeg|gif);base64,)", re.I)


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, code="bad_image", field="image")


def check_image(data: bytes, filename: str = "") -> tuple[bytes, str]:
    """Return ``(data, mime)`` for an acceptable image, else raise ServiceError."""
    if not data:
        raise _refuse(_("Het bestand is leeg."))
    if len(data) > MAX_IMAGE_BYTES:
        raise _refuse(_("De afbeelding is te groot: maximaal %(kb)d kB.",
                        kb=MAX_IMAGE_BYTES // 1024))
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data), "image/png"
    head = data[:1024].lstrip().lower()
    if filename.lower().endswith(".svg") or head.startswith((b"<?xml", b"<svg", b"<!--")):
        return _check_svg(data), "image/svg+xml"
    raise _refuse(_("Kies een PNG- of SVG-bestand."))


def _check_png(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                raise _refuse(_("Dit is geen echt PNG-bestand."))
            width, height = img.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise _refuse(_("Kies een afbeelding tussen %(lo)d en %(hi)d pixels breed en hoog.",
                                lo=MIN_SIDE, hi=MAX_SIDE))
            img.verify()
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        raise _refuse(_("Dit is geen echt PNG-bestand.")) from exc
    return data


def _check_svg(data: bytes) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(_("Het SVG-bestand moet UTF-8 zijn.")) from exc
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise _refuse(_("Het SVG-bestand bevat een DTD of entiteiten; dat is niet toegestaan.")
                      ) from exc
    except Exception as exc:  # ParseError and friends: not well-formed XML
        raise _refuse(_("Het SVG-bestand is geen geldige XML.")) from exc
    if _local(root.tag) != "svg":
        raise _refuse(_("Dit is geen SVG-afbeelding."))
    for el in root.iter():
        tag = _local(el.tag)
        if tag in FORBIDDEN_TAGS:
            raise _refuse(_("Het SVG-bestand bevat <%(tag)s>; dat is niet toegestaan.", tag=tag))
        for name, value in el.attrib.items():
            attr = _local(name)
            if attr.startswith("on"):
                raise _refuse(_("Het SVG-bestand bevat een script-attribuut (%(a)s).", a=attr))
            if (attr == "href" or name == XLINK_HREF) and not _SAFE_HREF.match(value):
                raise _refuse(_("Het SVG-bestand verwijst naar iets buiten de afbeelding."))
            if "javascript:" in value.lower() or "url(http" in value.lower().replace(" ", ""):
                raise _refuse(_("Het SVG-bestand verwijst naar iets buiten de afbeelding."))
        if tag == "style" and el.text and re.search(r"@import|url\(\s*['\"]?\s*(https?:|//)",
                                                     el.text, re.I):
            raise _refuse(_("Het SVG-bestand verwijst naar iets buiten de afbeelding."))
    return data


def _local(tag: object) -> str:
    name = str(tag)
    return name.rsplit("}", 1)[-1].lower() if "}" in name else name.lower()
