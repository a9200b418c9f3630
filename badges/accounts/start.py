"""Where a person lands after signing in: their own start page, not the public home page.

Accounts does not know passports, workspaces or advisers; the application shell
chooses (``app/wiring.py`` calls :func:`set_start_page`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for

from badges.accounts.models import User

_chooser: Callable[[User], str] | None = None


def set_start_page(chooser: Callable[[User], str]) -> None:
    global _chooser
    _chooser = chooser


def start_page(user: User) -> str:
    return _chooser(user) if _chooser is not None else url_for("public.home")
