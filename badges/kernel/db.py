"""The database handle (Flask-SQLAlchemy), in its own module so services import it and views cannot.

Views and API handlers never touch the session: the import-linter contract
``views-no-database`` (pyproject.toml) forbids web and API modules to import this module
or SQLAlchemy. ``badges.kernel.extensions`` re-exports ``db`` for services written before
the split (and those on other branches).
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy

from badges.kernel.models import Base

db = SQLAlchemy(model_class=Base)
