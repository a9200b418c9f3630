"""The structure that shows the product: views parse, call one service and render.

The import-linter contract ``views-no-database`` (pyproject.toml) forbids web and API
modules to import SQLAlchemy or ``badges.kernel.db``. ``db`` is still importable from
``badges.kernel.extensions`` for services, which import-linter cannot tell apart from
``csrf`` and ``limiter`` there; the second test reads the views' source for that.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BADGES = ROOT / "badges"

#: Known exceptions, to be moved next (the list can only shrink).
STILL_QUERYING: set[str] = set()


def view_modules() -> list[Path]:
    """Every page view and API module (``api_tokens`` is the tokens' service, not an API)."""
    paths = [*BADGES.glob("*/web/*.py"), *BADGES.glob("*/api.py"), *BADGES.glob("*/api_*.py")]
    return sorted(p for p in paths if p.name != "api_tokens.py")


def test_contract_views_never_import_the_database_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache", "--contract", "views-no-database"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Views and API handlers never touch the database" in done.stdout


def _uses_db(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and any(a.name == "db" for a in node.names):
            found.append(f"line {node.lineno}: from {node.module} import db")
        if isinstance(node, ast.Attribute) and node.attr == "session" \
                and isinstance(node.value, ast.Name) and node.value.id == "db":
            found.append(f"line {node.lineno}: db.session")
    return found


def test_no_view_reaches_db_through_the_extensions():
    offenders = {}
    for path in view_modules():
        name = path.relative_to(ROOT).as_posix()
        if name not in STILL_QUERYING and (uses := _uses_db(path)):
            offenders[name] = uses
    assert offenders == {}


def test_the_known_exceptions_still_exist_and_still_query():
    """When an exception is moved, take it off the list (so the list only shrinks)."""
    for name in STILL_QUERYING:
        assert _uses_db(ROOT / name), f"{name} no longer queries: remove it from STILL_QUERYING"
