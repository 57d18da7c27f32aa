#!/usr/bin/env bash
# `pip install --no-build-isolation` of the source folder (the README's other way in),
# reusing the test build's CMake folder, into a temporary target; then the Python suite
# runs against that installed copy, from outside the source tree.
set -euo pipefail
source=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$source/pyproject.toml" "$source/setup.py" "$source/setup.cfg" "$source/CMakeLists.txt" "$source/README.md" "$tmp/"
mkdir "$tmp/python" && cp -r "$source/python/advdir" "$tmp/python/"
cd "$tmp"
ADVDIR_BUILD_DIR="$build" /usr/bin/python3 -m pip install -q --no-build-isolation --no-deps --no-index --target "$tmp/site" . 2> "$tmp/pip.err" \
  || { cat "$tmp/pip.err" >&2; exit 1; }
test -f "$tmp/site/advdir/__init__.py"
ls "$tmp/site/advdir"/_advdir*.so > /dev/null
PYTHONPATH="$tmp/site" /usr/bin/python3 -c 'import advdir, sys; assert advdir.__file__.startswith(sys.argv[1]), advdir.__file__' "$tmp/site"
PYTHONPATH="$tmp/site" /usr/bin/python3 -m pytest -q -p no:cacheprovider "$source/tests/python"
