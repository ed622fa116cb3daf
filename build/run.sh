#!/usr/bin/env bash
# Install pocket-op into .venv and start it. Arguments go to pocket-op, e.g.
#   bash build/run.sh serve --headless --port 0
# Without a display the window falls back to headless serving.
set -euo pipefail
cd "$(dirname "$0")/.."
source build/common.sh
ensure_venv ""
exec "$VENV/bin/pocket-op" "$@"
