#!/usr/bin/env bash
# Builds advdir-vcheck (CMake target advdir-vcheck): compiles the proofs the
# checker rests on, extracts it (VExtract.v) and links the extraction with the
# reading shell. Usage: build.sh SOURCE_DIR WORK_DIR OUTPUT
set -euo pipefail
src=$1 work=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cd "$work"
cp "$src"/proofs/{Vec,Ray,HardMargin,Convex,Regions,VCheck,VNet,VRead,VSound}.v "$here"/VExtract.v "$here"/vcheck_main.ml .
for v in Vec Ray HardMargin Convex Regions VCheck VNet VRead VSound VExtract; do
  coqc -R . Advdir -w -notation-overridden,-ambiguous-paths "$v.v"
done
echo 'include Z (* Zarith *)' > big.ml
ocamlfind ocamlopt -package zarith,yojson,sha,zip -linkpkg big.ml vcheck_core.mli vcheck_core.ml vcheck_main.ml -o "$out.tmp"
mv "$out.tmp" "$out"
