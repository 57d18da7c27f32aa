#!/usr/bin/env bash
# Quick start 1: install what is missing, build, run the main job on built-in cases.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build/bin/advdir demo --out out
# The MNIST transfer experiment (Figure 4) at its reduced default: about a minute here.
build/bin/advdir experiment transfer --out out/transfer
