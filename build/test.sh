#!/usr/bin/env bash
# Install everything the tests need (Debian packages, then pip packages into .venv) and run
# the whole suite: lint, then pytest with warnings as errors. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source build/common.sh
# Debian packages the tests need (none yet; browser tests will add chromium).
TEST_APT_PACKAGES=()
apt_install "${TEST_APT_PACKAGES[@]}"
ensure_venv test
"$VENV/bin/ruff" check app ui tests
"$VENV/bin/python" -m pytest -W error -q tests "$@"
