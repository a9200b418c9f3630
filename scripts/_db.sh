# Shared by scripts/backup and scripts/restore: where the database and secret live.
# Reads the same BADGES_* variables as the app (see docs/production.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INSTANCE="${BADGES_INSTANCE_DIR:-$ROOT/instance}"
DB_URL="${BADGES_DATABASE_URL:-sqlite:///$INSTANCE/badges.sqlite3}"
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY="$(command -v python3)"

case "$DB_URL" in
  postgres://*|postgresql://*|postgresql+psycopg://*)
    DB_KIND=postgresql
    # libpq understands postgresql://; drop SQLAlchemy's driver suffix.
    PG_URL="postgresql://${DB_URL#*://}" ;;
  sqlite:///*)
    DB_KIND=sqlite
    SQLITE_PATH="${DB_URL#sqlite:///}" ;;
  *)
    echo "unsupported BADGES_DATABASE_URL: ${DB_URL%%://*}://..." >&2; exit 2 ;;
esac

# Copy a live SQLite database with SQLite's online backup API: a consistent
# snapshot even while the app writes (WAL included), unlike cp.
sqlite_copy() {  # $1 source file, $2 destination file
  "$PY" - "$1" "$2" <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1])
dst = sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
dst.execute("PRAGMA journal_mode=DELETE")
dst.close(); src.close()
if ok != "ok":
    sys.exit(f"integrity check failed: {ok}")
PY
}
