"""Baking: PNG iTXt and SVG <openbadges:credential>, and hostile images."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from badges.credentials import baking
from badges.credentials.baking import BakingError, bake_png, bake_svg, extract_png, extract_svg
from tests.interop_data import SAMPLES

CREDENTIAL = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1",
              "name": "Tricky ]]> <name> & \"quotes\""}
TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2ln"


def _chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(
        ">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def _tiny_png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return baking.PNG_SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(
        b"IEND", b"")


def test_extract_samples() -> None:
    png_json = extract_png((SAMPLES / "simple-json.png").read_bytes())
    assert json.loads(png_json)["name"] == "Teamwork Badge"
    assert extract_png((SAMPLES / "simple-jwt.png").read_bytes()).startswith("eyJ")
    assert json.loads(extract_svg((SAMPLES / "simple-json.svg").read_bytes()))["id"]
    assert extract_svg((SAMPLES / "simple-jwt.svg").read_text()).count(".") == 2


def test_png_roundtrip_replaces_never_duplicates() -> None:
    png = bake_png(_tiny_png(), CREDENTIAL)
    assert json.loads(extract_png(png)) == CREDENTIAL
    png2 = bake_png(png, TOKEN)
    assert extract_png(png2) == TOKEN
    assert png2.count(b"openbadgecredential") == 1
    assert png2.endswith(_chunk(b"IEND", b""))
    # the sample already carries one: rebaking keeps exactly one
    rebaked = bake_png((SAMPLES / "simple-json.png").read_bytes(), TOKEN)
    assert rebaked.count(b"openbadgecredential") == 1 and extract_png(rebaked) == TOKEN


def test_png_without_credential() -> None:
    assert extract_png(_tiny_png()) is None


def test_png_compressed_itxt_is_read() -> None:
    text = json.dumps(CREDENTIAL).encode()
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(text)
    png = _tiny_png()
    png = png[:-12] + _chunk(b"iTXt", data) + png[-12:]
    assert json.loads(extract_png(png)) == CREDENTIAL


def test_png_compressed_bomb_refused() -> None:
    data = b"openbadgecredential\x00\x01\x00\x00\x00" + zlib.compress(b"{" * (5 * 1024 * 1024))
    png = _tiny_png()
    png = png[:-12] + _chunk(b"iTXt", data) + png[-12:]
    with pytest.raises(BakingError) as err:
        extract_png(png)
    assert err.value.code == "too_large"


@pytest.mark.parametrize("mutate", ["crc", "truncate", "length", "no_iend", "itxt_garbage"])
def test_corrupt_png_is_a_clean_error(mutate: str) -> None:
    png = bytearray((SAMPLES / "simple-json.png").read_bytes())
    pos = png.find(b"iTXt")
    if mutate == "crc":
        png[pos + 40] ^= 0xFF
    elif mutate == "truncate":
        png = png[: pos + 100]
    elif mutate == "length":
        png[pos - 4:pos] = struct.pack(">I", 2**31 + 5)
    elif mutate == "no_iend":
        png = png[:-12]
    else:
        png = bytearray(_tiny_png())
        png = png[:-12] + _chunk(b"iTXt", b"openbadgecredential") + png[-12:]
    with pytest.raises(BakingError) as err:
        extract_png(bytes(png))
    assert err.value.message_nl and err.value.message_en


def test_not_png() -> None:
    with pytest.raises(BakingError):
        extract_png(b"GIF89a...")


def test_svg_roundtrip_json_and_jwt() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect/></svg>'
    baked = bake_svg(svg, CREDENTIAL)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert json.loads(extract_svg(baked)) == CREDENTIAL
    rebaked = bake_svg(baked, TOKEN)
    assert rebaked.count("<openbadges:credential") == 1
    assert f'verify="{TOKEN}"' in rebaked and extract_svg(rebaked) == TOKEN
    assert "<rect/>" in rebaked


def test_svg_self_closing_root_and_sample() -> None:
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', TOKEN)
    assert extract_svg(baked) == TOKEN
    sample = (SAMPLES / "simple-json.svg").read_text()
    assert extract_svg(bake_svg(sample, TOKEN)) == TOKEN


def test_svg_entities_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>')
    with pytest.raises(BakingError) as err:
        extract_svg(bomb)
    assert err.value.code == "unsafe_svg"
    external = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>')
    with pytest.raises(BakingError):
        extract_svg(external)


@pytest.mark.parametrize("svg", ["", "<html/>", "<svg", "not xml at all"])
def test_bad_svg(svg: str) -> None:
    with pytest.raises(BakingError):
        extract_svg(svg)


def test_svg_without_credential() -> None:
    assert extract_svg('<svg xmlns="http://www.w3.org/2000/svg"/>') is None
