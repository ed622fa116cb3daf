#!/usr/bin/env bash
# Build one form of the pocket-op binary with PyInstaller (pyinstaller.spec), one command each:
#   bash build/bundle.sh onedir    dist/pocket-op/pocket-op   the window and headless (fastest start)
#   bash build/bundle.sh onefile   dist/pocket-op-onefile     the same as one file
#   bash build/bundle.sh slim      dist/pocket-op-slim        headless only, no Qt inside (one file)
# PyInstaller comes from the "bundle" extra of .venv (installed here); its work files and cache
# go to .pyinstaller/ (git-ignored), never to build/. POCKET_OP_TRIM=0 keeps all of Qt.
# DIST_DIR and WORK_DIR move the output and the work files (the tests build in a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
source build/common.sh
form=${1:-onedir}
case "$form" in
  onedir | onefile | slim) ;;
  *) echo "usage: bash build/bundle.sh onedir|onefile|slim" >&2; exit 2 ;;
esac
ensure_venv bundle
export PYINSTALLER_CONFIG_DIR="$PWD/.pyinstaller/cache"
dist=${DIST_DIR:-dist}
POCKET_OP_BUNDLE="$form" "$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --workpath "${WORK_DIR:-.pyinstaller/work}/$form" --distpath "$dist" pyinstaller.spec
case "$form" in
  onedir) out=$dist/pocket-op/pocket-op; size=$(du -sh "$dist/pocket-op" | cut -f1) ;;
  onefile) out=$dist/pocket-op-onefile; size=$(du -sh "$out" | cut -f1) ;;
  slim) out=$dist/pocket-op-slim; size=$(du -sh "$out" | cut -f1) ;;
esac
echo "built $out ($size)"
