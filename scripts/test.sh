#!/usr/bin/env bash
# Quick start 2: install what is missing, build, run every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --preset default -j2 "$@"
