(* Theorem 11 stated with mathcomp-analysis: h^-1(beta) is a neighbourhood
   of x_beta in the topology of 'rV[R]_d, R a type of real numbers. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.classical Require Import boolp classical_sets.
From mathcomp.analysis Require Import reals topology normedtype.
From Advdir Require Import Vec Convex.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory numFieldNormedType.Exports.
Local Open Scope ring_scope.

Section Theorem11Analysis.
Variables (R : realType) (d : nat).

Theorem theorem11_nbhs (A : 'rV[R]_d -> bool) (x_alpha x_beta x : 'rV[R]_d) :
  convex A -> A x_alpha -> nbhs x_beta (fun q => ~~ A q) -> A x ->
  exists k, 0 < k /\ ~~ A (x + k *: (x_beta - x_alpha)).
Proof.
move=> convA in_alpha /nbhs_ballP [r /= r_gt0 outside] in_x.
apply: (theorem11 A x_alpha x_beta x r convA in_alpha r_gt0 _ in_x) => q near.
apply: outside => i j; rewrite (ord1 i) -ball_normE /ball_ /= distrC.
exact: near.
Qed.

End Theorem11Analysis.
