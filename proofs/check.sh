#!/usr/bin/env bash
# ctest "proofs": builds the Coq proofs out of tree in BUILD_DIR with
# coq_makefile, then checks what the theorems rest on: Print Assumptions on
# the main theorems (Assumptions.v) may list only axioms of Coq's standard
# library (today it lists none); Theorem 11 through mathcomp-analysis
# (AssumptionsAnalysis.v) may add mathcomp-classical's three classical axioms.
# First the axiom check is run on two small files to show that it can fail.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: proofs/check.sh BUILD_DIR}
command -v coqc >/dev/null && command -v coq_makefile >/dev/null ||
  { echo "proofs/check.sh: coqc not found; bash scripts/setup.sh installs Coq and MathComp" >&2; exit 1; }

if grep -nwE 'Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture' "$src"/*.v; then
  echo "proofs/check.sh: a proof is left open or an axiom is declared (above)" >&2
  exit 1
fi

mkdir -p "$out"
cp -p "$src"/_CoqProject "$src"/*.v "$out"/
cd "$out"
coq_makefile -f _CoqProject -o Makefile.coq >/dev/null
make -s -f Makefile.coq -j"${ADVDIR_COQ_JOBS:-2}"

coq() { coqc -R . Advdir -w -notation-overridden,-ambiguous-paths "$@"; }

# The fully qualified name of every axiom that Print Assumptions lists in $2
# for the theorems of $1, found with Locate after requiring $1 (a name Locate
# cannot place is printed as it is, so that it fails the check).
axioms() {
  local n q
  for n in $(awk '/^Closed under the global context$/ || /:$/ || /^used in / {next}
                  /^[A-Za-z_]/ {sub(/ :.*/, ""); print $1}' "$2" | sort -u); do
    printf 'From Advdir Require %s.\nLocate %s.\n' "${1%.v}" "$n" > locate_axiom.v
    q=$(coq locate_axiom.v | awk '$1 == "Constant" {print $2; exit}')
    echo "${q:-$n (not found by Locate)}"
  done
}

# check FILE ALLOWED_REGEX: every axiom behind FILE's theorems matches ALLOWED.
check() {
  coq "$1" > "${1%.v}.out"
  local bad
  bad=$(axioms "$1" "${1%.v}.out" | grep -vE "$2" || true)
  if [ -n "$bad" ]; then
    echo "proofs/check.sh: $1: theorems rest on axioms outside the allowed set:" $bad >&2
    return 1
  fi
}
stdlib='^Coq\.'
classical="$stdlib|^mathcomp\.classical\.boolp\.(propositional_extensionality|functional_extensionality_dep|constructive_indefinite_description)$"

# The check itself: a declared axiom must be caught, a standard-library one passes.
printf 'From Coq Require Classical_Prop.\nDefinition em := Classical_Prop.classic.\nPrint Assumptions em.\n' > selftest_stdlib.v
printf 'From Coq Require Classical_Prop.\n%s bogus : False.\nDefinition oops : 0 = 1 := match bogus with end.\nPrint Assumptions oops.\n' Axiom > selftest_own.v
check selftest_stdlib.v "$stdlib"
if check selftest_own.v "$stdlib" 2>/dev/null; then
  echo "proofs/check.sh: the axiom check missed a declared axiom" >&2
  exit 1
fi

check Assumptions.v "$stdlib"
check AssumptionsAnalysis.v "$classical"
echo "proofs: $(grep -c '^Print Assumptions' Assumptions.v) theorems closed under the global context or the standard library; Theorem 11 (nbhs) on mathcomp-classical's axioms only"
