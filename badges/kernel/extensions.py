"""Flask extensions, created unbound; ``create_app`` binds them (``db`` lives in ``badges.kernel.db``)."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

# Services written before ``badges.kernel.db`` existed import ``db`` from here; views may not
# (tests/test_architecture.py). New code imports it from ``badges.kernel.db``.
from badges.kernel.db import db as db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
