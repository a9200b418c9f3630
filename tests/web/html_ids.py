"""Duplicate ``id`` attributes in a page, read with an HTML parser (never a regex).

An id must be unique in a document: a ``<label for>``, ``aria-describedby`` or a link
to ``#id`` otherwise points at whichever element comes first (#22: the status form and
the reissue form on a credential page both had ``id="reason"``).
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1

    handle_startendtag = handle_starttag


def duplicate_ids(html: str) -> list[str]:
    """The ids that occur more than once in ``html`` (empty when the page is fine)."""
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return sorted(name for name, count in parser.ids.items() if count > 1)
