"""The badge designer: a template, palette colour, icon and one or two lines of text.

The SVG is built only from our own shapes, the vendored Lucide icons
(icons/lucide.json, ISC licence in icons/LICENSE-lucide) and escaped text: no
external references, no script. The PNG (for baking) is the same SVG rendered
with CairoSVG, so both always look the same.
"""

from __future__ import annotations

import colorsys
import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

TEMPLATES = ("circle", "hexagon", "shield", "ribbon")
PNG_SIZE = 512
MAX_LINE = 18
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHAPES = {
    "circle": '<circle cx="256" cy="256" r="240" fill="{c}"/>'
              '<circle cx="256" cy="256" r="212" fill="none" stroke="#ffffff" stroke-width="10"/>',
    "hexagon": '<polygon points="256,12 467,134 467,378 256,500 45,378 45,134" fill="{c}"/>'
               '<polygon points="256,44 439,150 439,362 256,468 73,362 73,150" fill="none" '
               'stroke="#ffffff" stroke-width="10"/>',
    "shield": '<path d="M256 12 L472 84 V236 C472 368 380 452 256 500 C132 452 40 368 40 236 V84 Z" '
              'fill="{c}"/><path d="M256 44 L442 106 V236 C442 350 364 424 256 466 C148 424 70 350 '
              '70 236 V106 Z" fill="none" stroke="#ffffff" stroke-width="10"/>',
    "ribbon": '<polygon points="150,330 110,500 180,460 220,510 256,360" fill="{a}"/>'
              '<polygon points="362,330 402,500 332,460 292,510 256,360" fill="{a}"/>'
              '<circle cx="256" cy="220" r="200" fill="{c}"/>'
              '<circle cx="256" cy="220" r="172" fill="none" stroke="#ffffff" stroke-width="10"/>',
}
# Where the icon and the text lines sit per template (centre y of each).
_LAYOUT = {"circle": (200, 330, 376), "hexagon": (200, 330, 376), "shield": (190, 318, 364),
           "ribbon": (150, 262, 310)}
# How wide the text may run per template (the narrowest point where the lines sit).
_TEXT_WIDTH = {"circle": 320, "hexagon": 290, "shield": 290, "ribbon": 250}


@lru_cache(maxsize=1)
def icons() -> dict[str, list[list[Any]]]:
    """The bundled icon set: name → Lucide icon nodes ``[tag, attributes]`` on a 24×24 grid."""
    data: dict[str, list[list[Any]]] = json.loads(
        (Path(__file__).parent / "icons" / "lucide.json").read_text("utf-8"))
    return data


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02x}" for v in rgb)


def palette(colour: str) -> list[str]:
    """The organisation's colour and colours derived from it: darker, lighter, complementary
    and two neighbours, each dark enough for white text (contrast ≥ 4.5:1)."""
    if not _HEX.match(colour or ""):
        colour = "#1f5f8b"
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    variants = [(h, lightness), (h, lightness * 0.7), (h, min(lightness * 1.25, 0.45)),
                ((h + 0.5) % 1, lightness), ((h + 1 / 12) % 1, lightness), ((h - 1 / 12) % 1, lightness)]
    out: list[str] = []
    for hue, light in variants:
        rgb = colorsys.hls_to_rgb(hue, light, s)
        while _contrast_with_white(rgb) < 4.5 and light > 0.05:
            light -= 0.03
            rgb = colorsys.hls_to_rgb(hue, light, s)
        value = _hex(rgb)
        if value not in out:
            out.append(value)
    return out


def _contrast_with_white(rgb: tuple[float, float, float]) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    lum = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (lum + 0.05)


@dataclass(frozen=True)
class Design:
    template: str = "circle"
    colour: str = "#1f5f8b"
    icon: str = "award"
    line1: str = ""
    line2: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Design | None:
        """A stored design, or None when there is none or it no longer makes sense."""
        if not isinstance(data, dict) or data.get("template") not in TEMPLATES:
            return None
        colour = str(data.get("colour", ""))
        icon = str(data.get("icon", ""))
        return cls(template=data["template"], colour=colour if _HEX.match(colour) else "#1f5f8b",
                   icon=icon if icon in icons() else "", line1=str(data.get("line1", ""))[:MAX_LINE],
                   line2=str(data.get("line2", ""))[:MAX_LINE])

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def alt_text(self, name: str) -> str:
        """What the image shows, for screen readers (the badge's name and its text)."""
        words = " ".join(t for t in (self.line1, self.line2) if t)
        return f"{name}: {words}" if words and words != name else name


def _icon_svg(name: str, x: float, y: float, size: float) -> str:
    nodes = icons().get(name)
    if not nodes:
        return ""
    parts = []
    for tag, attrs in nodes:
        if tag not in {"path", "circle", "rect", "line", "polyline", "polygon", "ellipse"}:
            continue
        attributes = " ".join(f'{k}="{escape(str(v), {chr(34): "&quot;"})}"' for k, v in attrs.items()
                              if re.fullmatch(r"[a-z][a-z-]*", k))
        parts.append(f"<{tag} {attributes}/>")
    scale = size / 24
    return (f'<g transform="translate({x - size / 2:g} {y - size / 2:g}) scale({scale:g})" fill="none" '
            'stroke="#ffffff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
            + "".join(parts) + "</g>")


# What XML 1.0 does not allow in text: C0 controls but tab, LF and CR; lone surrogates; the
# non-characters U+FFFE and U+FFFF. A name or line with one made the SVG not well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str, attribute: bool = False) -> str:
    """``value`` escaped for SVG text or a quoted attribute, without what XML forbids."""
    clean = _NOT_XML.sub("", value)
    return escape(clean, {chr(34): "&quot;"}) if attribute else escape(clean)


def _text(value: str, y: float, size: int) -> str:
    return (f'<text x="256" y="{y:g}" font-family="DejaVu Sans, Arial, sans-serif" font-size="{size}" '
            f'font-weight="700" fill="#ffffff" text-anchor="middle" dominant-baseline="middle">'
            f"{xml_text(value)}</text>")


def design_svg(design: Design, name: str) -> str:
    """The badge as a standalone SVG (512×512) with a title for screen readers."""
    colours = palette(design.colour)
    accent = colours[1] if colours[0] == design.colour and len(colours) > 1 else colours[0]
    icon_y, first_y, second_y = _LAYOUT[design.template]
    lines = [t for t in (design.line1, design.line2) if t]
    if not lines:
        icon_y = first_y - 60  # no text: the icon takes the middle
    icon_size = (150 if design.template == "ribbon" else 180) if lines else 220
    body = [_SHAPES[design.template].format(c=design.colour, a=accent),
            _icon_svg(design.icon, 256, icon_y, icon_size)]
    def fit(text: str, largest: int) -> int:
        # Inside the narrowest shape (bold DejaVu is about 0.7 em per letter).
        width = _TEXT_WIDTH[design.template]
        return max(20, min(largest, int(width / (0.7 * max(len(text), 1)))))
    if len(lines) == 1:
        body.append(_text(lines[0], (first_y + second_y) / 2 - 10, fit(lines[0], 48)))
    elif len(lines) == 2:
        body += [_text(lines[0], first_y, fit(lines[0], 44)), _text(lines[1], second_y, fit(lines[1], 36))]
    alt = xml_text(design.alt_text(name), attribute=True)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" '
            f'role="img" aria-label="{alt}"><title>{alt}</title>' + "".join(body) + "</svg>")


@lru_cache(maxsize=128)
def _render_png(svg: str, size: int) -> bytes:
    import cairosvg  # type: ignore[import-untyped]  # imported here: only PNGs need it

    png: bytes = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=size,
                                  output_height=size, unsafe=False)
    return png


def design_png(design: Design, name: str, size: int = PNG_SIZE) -> bytes:
    """The same badge as a PNG, sized for baking."""
    return _render_png(design_svg(design, name), size)
