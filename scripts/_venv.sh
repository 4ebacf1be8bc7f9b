# Shared by scripts/run and scripts/test: make .venv (Python 3.11) and install the project.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  if command -v python3.11 >/dev/null 2>&1; then PY=python3.11; else PY=python3; fi
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "workstation needs Python 3.11 (found $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 2
fi
# followthemoney needs PyICU, which PyPI ships as source only: it compiles against the
# system's ICU (Debian: libicu-dev, pkg-config). Install them when missing and we can.
if ! pkg-config --exists icu-uc 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq libicu-dev pkg-config >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config >/dev/null; }
  else
    echo "workstation needs ICU headers to build PyICU: install libicu-dev and pkg-config" >&2
    exit 2
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
# Install only when what decides the environment changed since the last install (a stamp of
# the lock file, pyproject.toml and setup.py): a normal start does no pip work and prints
# nothing but the application's own messages.
STAMP=.venv/.installed
WANT="$(cat requirements.lock pyproject.toml setup.py | "$PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  # Exact versions with their hashes (requirements.lock, made from pyproject.toml by
  # scripts/lock): a fresh resolve once broke HTML import. The project itself goes in
  # without resolving anything again.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r requirements.lock
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e . 2>/dev/null \
    || .venv/bin/python -m pip install --disable-pip-version-check --no-deps -e .
  echo "$WANT" > "$STAMP"
fi
