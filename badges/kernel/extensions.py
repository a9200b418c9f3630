"""Flask extensions, created unbound; ``create_app`` binds them (``db`` lives in ``badges.kernel.db``)."""

from __future__ import annotations

from typing import Any

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect
from markupsafe import Markup
from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import HiddenInput

# Services written before ``badges.kernel.db`` existed import ``db`` from here; views may not
# (tests/test_architecture.py). New code imports it from ``badges.kernel.db``.
from badges.kernel.db import db as db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class _HiddenWithoutId(HiddenInput):
    """The CSRF field of every form, rendered without an ``id``.

    A page with several forms (a button per row, a status and a reissue form) would
    otherwise repeat ``id="csrf_token"``, and an id must be unique in a page; nothing
    points at a hidden field, so it needs none. (``False`` leaves the attribute out.)
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


CSRFTokenField.widget = _HiddenWithoutId()
