"""Turning whatever a visitor uploads into one parsed credential, defensively.

The public verifier accepts JSON, a compact JWT, a baked PNG or SVG, as text,
bytes or an already-parsed dict. Every limit here exists because the input is
chosen by a stranger: sizes are capped before any parsing, JSON is parsed
without NaN or duplicate keys (two parsers disagreeing about a duplicate key
is a classic way to show one thing and sign another), and nesting depth and
node count are bounded so a small document cannot exhaust memory or stack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from badges.credentials import baking, ob2
from badges.credentials.jwt import looks_like_jwt

MAX_JSON_BYTES = 2 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000


class InputError(ValueError):
    """Input that cannot become a credential. Messages are for the report."""

    def __init__(self, code: str, message_nl: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en


@dataclass
class ParsedInput:
    """What the input turned out to be."""

    format: str  # "json-ld" | "jwt" | "ob2-signed" | "ob2-hosted"
    container: str | None  # "png" | "svg" | None
    credential: dict[str, Any] | None  # parsed document (unverified; for a JWT the enveloped credential)
    token: str | None = None  # compact JWT / JWS when the format is token-based
    hosted_url: str | None = None  # an OB 2.0 badge baked as a bare URL


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not allowed in a credential")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _whole_text(text: str) -> None:
    """JSON may escape half a surrogate pair ("\\ud800"): not text, and nothing can write it
    as UTF-8 (the JSON receipt answered 500)."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError("bad_json", "De JSON bevat een half teken (een losse surrogaat).",
                             "The JSON contains half a character (a lone surrogate).") from exc


def check_shape(value: Any) -> None:
    """Iteratively bound depth and size (also terminates on cyclic dicts passed in)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise InputError("too_deep", "De JSON is te diep genest.",
                             "The JSON is nested too deeply.")
        if nodes > MAX_NODES:
            raise InputError("too_many_nodes", "De JSON bevat te veel elementen.",
                             "The JSON has too many elements.")
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise InputError("bad_json", "JSON-sleutels moeten tekst zijn.",
                                     "JSON keys must be strings.")
                _whole_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, str):
            _whole_text(item)
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif not (item is None or isinstance(item, int | float | bool)):
            raise InputError("bad_json", "De invoer bevat iets anders dan JSON.",
                             "The input contains something other than JSON.")


def parse_json(text: str) -> dict[str, Any]:
    """Strict JSON object parse with the limits above."""
    if len(text) > MAX_JSON_BYTES:
        raise InputError("too_large", "De invoer is te groot (maximaal 2 MB).",
                         "The input is too large (2 MB at most).")
    try:
        value = json.loads(text, parse_constant=_reject_constant,
                           object_pairs_hook=_no_duplicates)
    except RecursionError as exc:
        raise InputError("too_deep", "De JSON is te diep genest.",
                         "The JSON is nested too deeply.") from exc
    except ValueError as exc:
        raise InputError("bad_json", f"Geen geldige JSON: {str(exc)[:120]}",
                         f"Not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(value, dict):
        raise InputError("bad_json", "De JSON is geen object.", "The JSON is not an object.")
    check_shape(value)
    return value


def _json_kind(doc: dict[str, Any]) -> str:
    if not ob2.is_ob2(doc):
        return "json-ld"
    return "ob2-signed" if ob2.verification_type(doc) == "signed" else "ob2-hosted"


def _from_text(text: str, container: str | None) -> ParsedInput:
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise InputError("empty", "De invoer is leeg.", "The input is empty.")
    if text.startswith("{"):
        doc = parse_json(text)
        return ParsedInput(_json_kind(doc), container, doc)
    if len(text) > MAX_JSON_BYTES:
        raise InputError("too_large", "De invoer is te groot (maximaal 2 MB).",
                         "The input is too large (2 MB at most).")
    if looks_like_jwt(text):
        return _from_token(text, container)
    if text.startswith("https://") and container is not None and " " not in text:
        return ParsedInput("ob2-hosted", container, None, hosted_url=text)
    raise InputError("unknown_format",
                     "Onbekend formaat: verwacht JSON, een JWT, of een PNG/SVG met badge.",
                     "Unknown format: expected JSON, a JWT, or a baked PNG/SVG.")


def _from_token(token: str, container: str | None) -> ParsedInput:
    from badges.credentials.jwt import decode_vc_jwt

    try:
        _header, payload, credential = decode_vc_jwt(token)
    except Exception as exc:  # ProofError or anything odd: not a token
        raise InputError("bad_jwt", "Het JWT is onleesbaar.", "The JWT cannot be read.") from exc
    check_shape(payload)
    if ob2.is_ob2(payload):
        return ParsedInput("ob2-signed", container, payload, token=token)
    return ParsedInput("jwt", container, credential, token=token)


def parse_input(data: bytes | str | dict[str, Any]) -> ParsedInput:
    """Detect the format of ``data`` and parse it; raises InputError or BakingError."""
    if isinstance(data, dict):
        check_shape(data)
        return ParsedInput(_json_kind(data), None, data)
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if isinstance(data, bytes):
        if len(data) > MAX_IMAGE_BYTES:
            raise InputError("too_large", "Het bestand is te groot (maximaal 10 MB).",
                             "The file is too large (10 MB at most).")
        if data.startswith(baking.PNG_SIGNATURE):
            return _from_baked(baking.extract_png_any(data), "png")
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<"):
            return _from_baked(baking.extract_svg_any(data), "svg")
        if len(data) > MAX_JSON_BYTES:
            raise InputError("too_large", "De invoer is te groot (maximaal 2 MB).",
                             "The input is too large (2 MB at most).")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("not_text", "Het bestand is geen tekst, PNG of SVG.",
                             "The file is not text, PNG or SVG.") from exc
    if isinstance(data, str):
        if len(data) > MAX_IMAGE_BYTES:
            raise InputError("too_large", "De invoer is te groot.", "The input is too large.")
        if data.lstrip("\ufeff \t\r\n").startswith("<"):
            return _from_baked(baking.extract_svg_any(data), "svg")
        return _from_text(data, None)
    raise InputError("unknown_format", "Onbekend invoertype.", "Unknown input type.")


def _from_baked(found: tuple[str, str] | None, container: str) -> ParsedInput:
    if found is None:
        raise InputError("not_baked", "Deze afbeelding bevat geen badge.",
                         "This image does not carry a badge.")
    return _from_text(found[1], container)


def input_check() -> Any:
    """The first check: built lazily so this module stays importable on its own."""
    from badges.credentials.baking import BakingError
    from badges.credentials.verify.checks import Check, CheckResult, VerifyContext

    class InputCheck(Check):
        """Guards against hostile input: oversized uploads, malformed or corrupt files,
        JSON bombs (depth, size, duplicate keys) and images that hide nothing or garbage."""

        id, fatal = "input", True

        def run(self, ctx: VerifyContext) -> CheckResult:
            try:
                parsed = parse_input(ctx.data)
            except (InputError, BakingError) as exc:
                ctx.stop = True
                return self.fail(exc.message_nl, exc.message_en)
            ctx.format, ctx.container = parsed.format, parsed.container
            ctx.credential, ctx.token, ctx.hosted_url = (parsed.credential, parsed.token,
                                                          parsed.hosted_url)
            where = {"png": " (uit PNG)", "svg": " (uit SVG)"}.get(parsed.container or "", "")
            where_en = {"png": " (from PNG)", "svg": " (from SVG)"}.get(parsed.container or "", "")
            return self.ok(f"Invoer gelezen: {parsed.format}{where}.",
                           f"Input read: {parsed.format}{where_en}.")

    return InputCheck()
