#!/usr/bin/env bash
# Quick start 1: install what is missing, build, run the main job on built-in cases.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build/bin/advdir demo --out out
