(* Vectors, the dot product and linear classifiers (PROOFS.md, "Conventions"). *)
From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Vec.
Variables (R : realFieldType) (d : nat).
Notation vec := 'rV[R]_d.

Definition dot (u v : vec) : R := \sum_i u 0 i * v 0 i.

Lemma dotC u v : dot u v = dot v u.
Proof. by apply: eq_bigr => i _; rewrite mulrC. Qed.

Lemma dotDr u v w : dot u (v + w) = dot u v + dot u w.
Proof. by rewrite /dot -big_split; apply: eq_bigr => i _; rewrite !mxE mulrDr. Qed.

Lemma dotZr u k v : dot u (k *: v) = k * dot u v.
Proof. by rewrite /dot mulr_sumr; apply: eq_bigr => i _; rewrite !mxE mulrCA. Qed.

Lemma dotNr u v : dot u (- v) = - dot u v.
Proof. by rewrite -scaleN1r dotZr mulN1r. Qed.

Lemma dotBr u v w : dot u (v - w) = dot u v - dot u w.
Proof. by rewrite dotDr dotNr. Qed.

(* The slope of an affine map between two points. *)
Lemma dotB_affine u (c : R) p q : dot u (p - q) = (dot u p + c) - (dot u q + c).
Proof. by rewrite dotBr opprD addrACA subrr addr0. Qed.

Lemma dot0r u : dot u 0 = 0.
Proof. by rewrite /dot big1 // => i _; rewrite mxE mulr0. Qed.

Lemma dot_sumr I (r : seq I) (P : pred I) (F : I -> vec) u :
  dot u (\sum_(i <- r | P i) F i) = \sum_(i <- r | P i) dot u (F i).
Proof.
elim/big_rec2: _ => [|i s v _ <-]; first exact: dot0r.
exact: dotDr.
Qed.

Lemma dotDl u v w : dot (u + v) w = dot u w + dot v w.
Proof. by rewrite dotC dotDr !(dotC w). Qed.

Lemma dotZl k u v : dot (k *: u) v = k * dot u v.
Proof. by rewrite dotC dotZr dotC. Qed.

Lemma dotBl u v w : dot (u - v) w = dot u w - dot v w.
Proof. by rewrite dotC dotBr !(dotC w). Qed.

Lemma dot_ge0 u : 0 <= dot u u.
Proof. by apply: sumr_ge0 => i _; rewrite -expr2 sqr_ge0. Qed.

(* A binary label as the number y in {+1, -1}. *)
Definition sg (y : bool) : R := if y then 1 else -1.

Lemma sg_sqr y : sg y * sg y = 1.
Proof. by case: y; rewrite /sg ?mulr1 ?mulrNN ?mulr1. Qed.

(* h(x) = +1 iff <w,x> + b > 0 (PROOFS.md, "Conventions"); true is +1. *)
Definition score (w : vec) (b : R) (x : vec) := dot w x + b.
Definition linear_h (w : vec) (b : R) (x : vec) : bool := 0 < score w b x.

End Vec.
