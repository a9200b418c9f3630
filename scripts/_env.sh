# Shared by scripts/start and scripts/test: find Python 3.11+, make .venv, install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
      echo "$candidate"; return 0
    fi
  done
  echo "Skillspas needs Python 3.11 or newer." >&2
  return 1
}

ensure_venv() {  # $1: pip extras spec, e.g. "." or ".[test]"
  local py
  py="$(find_python)"
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $py"
    "$py" -m venv .venv
  fi
  local stamp=".venv/.installed-$(echo "$1" | tr -c 'a-z' '_')"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "==> installing $1"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e "$1"
    touch "$stamp"
  fi
}
