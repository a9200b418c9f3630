"""QR codes as inline SVG (no raster, sharp when printed, no external service)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, box_size: int = 8) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size,
                        border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode("utf-8")


def qr_png(data: str, *, box_size: int = 8) -> bytes:
    """PNG, for the PDF overview (fpdf2 embeds raster images)."""
    from qrcode.image.pil import PilImage

    image = qrcode.make(data, image_factory=PilImage, box_size=box_size, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
