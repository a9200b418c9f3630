"""Uploaded badge images: only real, small PNGs and harmless SVGs get through."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from badges.kernel.errors import ServiceError
from badges.kernel.media.image_checks import check_image


def png(size=(128, 128)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


GOOD_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


class TestAccepts:
    def test_real_png(self):
        data = png()
        assert check_image(data, "badge.png") == (data, "image/png")

    def test_plain_svg(self):
        assert check_image(GOOD_SVG, "badge.svg")[1] == "image/svg+xml"

    def test_svg_with_internal_reference(self):
        svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
               b'<defs><circle id="c" r="3"/></defs><use xlink:href="#c"/></svg>')
        assert check_image(svg)[1] == "image/svg+xml"


class TestRefuses:
    @pytest.mark.parametrize("svg", [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="javascript:alert(1)"><circle r="3"/></a></svg>',
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://e.example/a.css);'
        b'</style></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect',
        b'<html><body>not svg</body></html>',
    ], ids=["script", "onload", "foreignObject", "external-href", "javascript-href", "entity",
            "css-import", "broken-xml", "not-svg"])
    def test_dangerous_or_broken_svg(self, svg):
        with pytest.raises(ServiceError) as exc:
            check_image(svg, "badge.svg")
        assert exc.value.field == "image"

    def test_fake_png(self):
        with pytest.raises(ServiceError, match="PNG"):
            check_image(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "badge.png")

    def test_gif_named_png(self):
        with pytest.raises(ServiceError, match="PNG- of SVG"):
            check_image(b"GIF89a" + b"\0" * 100, "badge.png")

    def test_too_big(self):
        with pytest.raises(ServiceError, match="te groot"):
            check_image(png() + b"\0" * (600 * 1024), "badge.png")

    @pytest.mark.parametrize("size", [(8, 8), (4000, 10)])
    def test_insane_dimensions(self, size):
        with pytest.raises(ServiceError, match="pixels"):
            check_image(png(size), "badge.png")
