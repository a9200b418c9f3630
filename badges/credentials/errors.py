"""The engine's error families share one shape: a stable ``code`` for programs and a
message in Dutch and English for people (the verification report shows both)."""

from __future__ import annotations


class BilingualError(Exception):
    def __init__(self, code: str, message_nl: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en
