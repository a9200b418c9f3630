"""Badge images: the default image in the issuer's colour, and upload checks."""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw

from badges.kernel.media.badge_design import Design, design_png, design_svg, xml_text

MAX_IMAGE_BYTES = 512 * 1024


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "SP"


def default_svg(name: str, colour: str) -> str:
    """A round badge with the achievement's initials in the organisation's colour."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" '
        f'role="img" aria-label="{xml_text(name, attribute=True)}">'
        f'<circle cx="128" cy="128" r="120" fill="{escape(colour)}"/>'
        '<circle cx="128" cy="128" r="100" fill="none" stroke="#ffffff" stroke-width="6"/>'
        '<text x="128" y="150" font-family="DejaVu Sans, Arial, sans-serif" font-size="72" '
        f'font-weight="700" fill="#ffffff" text-anchor="middle">{xml_text(_initials(name))}</text>'
        "</svg>"
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    if len(colour) != 6:
        return (31, 95, 139)
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


@lru_cache(maxsize=256)
def default_png(name: str, colour: str) -> bytes:
    """The PNG twin of :func:`default_svg` (baking needs a PNG to carry the credential)."""
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, size - 8, size - 8), fill=_rgb(colour))
    draw.ellipse((28, 28, size - 28, size - 28), outline=(255, 255, 255), width=6)
    text = _initials(name)
    try:
        from PIL import ImageFont

        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype("DejaVuSans-Bold.ttf", 72)
    except OSError:
        from PIL import ImageFont

        font = ImageFont.load_default(size=72)
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1]),
              text, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def png_of(image: bytes | None, mime: str | None, name: str, colour: str,
           design: dict[str, Any] | None = None) -> bytes:
    """A PNG for baking: the uploaded PNG when there is one, else the design, else the default."""
    if image and mime == "image/png":
        return image
    if (designed := Design.from_dict(design)) is not None:
        return design_png(designed, name)
    return default_png(name, colour)


def svg_of(image: bytes | None, mime: str | None, name: str, colour: str,
           design: dict[str, Any] | None = None) -> str:
    """An SVG: the uploaded SVG when there is one, else the design, else the default."""
    if image and mime == "image/svg+xml":
        return image.decode("utf-8")
    if (designed := Design.from_dict(design)) is not None:
        return design_svg(designed, name)
    return default_svg(name, colour)


def badge_image(image: bytes | None, mime: str | None, name: str, colour: str,
                design: dict[str, Any] | None = None) -> tuple[bytes, str]:
    """What the badge looks like, as served: an upload, else the design, else the default."""
    if image and mime in {"image/png", "image/svg+xml"}:
        return image, mime
    return svg_of(None, None, name, colour, design).encode("utf-8"), "image/svg+xml"
