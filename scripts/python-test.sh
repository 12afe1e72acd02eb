#!/usr/bin/env bash
# The Python package (python/): a virtual environment under target/py, maturin, the package
# built in place (a debug build sharing target/ with cargo), then its tests, which compare it
# with the command line, and the EMA Workbench example. Needs python3 (3.9 or later) and network access to PyPI the first time.
# Usage: scripts/python-test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$PWD/target/py"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2" "numpy>=1.20" "pandas>=1.3" "pytest>=7" "ema_workbench>=2.4"
cargo build --locked --quiet
(export VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" && maturin develop --quiet --locked --manifest-path python/Cargo.toml)
PARKCAST_BIN="$PWD/target/debug/parkcast" "$venv/bin/python" -m pytest -q -W ignore::UserWarning python/tests "$@"
# the EMA Workbench example (scenario discovery with PRIM), at the size CI affords
echo "examples/ema_prim.py (small design):"
PARKCAST_EXAMPLE_SIZE=small "$venv/bin/python" -W ignore examples/ema_prim.py
