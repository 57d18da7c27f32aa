(* Section 6 / Figure 3, checked over the rationals: the max-margin direction
   -y w* need not transfer to R' (PROOFS.md, "Section 6"). *)
From mathcomp Require Import all_ssreflect all_algebra.
From Advdir Require Import Vec HardMargin Convex.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Notation vec := 'rV[rat]_2.
Definition pt (p q : rat) : vec := \row_(i < 2) (if i == 0%N :> nat then p else q).

Lemma pt_entry p q (i : 'I_2) : pt p q 0 i = if i == 0%N :> nat then p else q.
Proof. by rewrite mxE. Qed.

Lemma dot_pt p q r s : dot (pt p q) (pt r s) = p * r + q * s.
Proof. by rewrite /dot !big_ord_recl big_ord0 !mxE /= addr0. Qed.

Lemma pt_add p q r s : pt p q + pt r s = pt (p + r) (q + s).
Proof. by apply/rowP => i; rewrite !mxE; case: ifP. Qed.

Lemma pt_scale k p q : k *: pt p q = pt (k * p) (k * q).
Proof. by apply/rowP => i; rewrite !mxE; case: ifP. Qed.

Lemma pt_sub p q r s : pt p q - pt r s = pt (p - r) (q - s).
Proof. by rewrite -scaleN1r pt_scale pt_add !mulN1r. Qed.

(* S = {((0,0), -1), ((2,1), +1), ((2,-1), +1)}. *)
Definition x (i : 'I_3) : vec := nth (pt 0 0) [:: pt 0 0; pt 2 1; pt 2 (-1)] i.
Definition y (i : 'I_3) : bool := i != 0%N :> nat.

(* w* = (1,0), b* = -1, alpha = (1/2, 1/4, 1/4), margin_sq = 1. *)
Definition w_star0 := pt 1 0.
Definition alpha0 (i : 'I_3) : rat := nth 0 [:: 1/2; 1/4; 1/4] i.

Lemma margins3 i : margin x y w_star0 (-1) i = 1.
Proof.
rewrite /margin /score /w_star0 /x /y.
by case: i => [[|[|[|]]]] //= _; rewrite dot_pt; apply/eqP; vm_compute.
Qed.

Definition section6_separator : separator_cert x y.
Proof.
apply: (@SeparatorCert _ _ _ x y w_star0 (-1) alpha0 1).
- by case=> [[|[|[|]]]] //= _; vm_compute.
- rewrite /combination !big_ord_recl big_ord0 /x /alpha0 /y /= addr0 !pt_scale !pt_add.
  by apply/rowP => i; rewrite !mxE; case: ifP => _; apply/eqP; vm_compute.
- by rewrite !big_ord_recl big_ord0; apply/eqP; vm_compute.
- by move=> i; rewrite margins3.
- by move=> i _; rewrite margins3.
- by rewrite !big_ord_recl big_ord0; apply/eqP; vm_compute.
Defined.

(* The net f(x) = relu(x_2 - 1/2) + relu(-x_2 - 1/2), a = 1/4, rule "gt". *)
Definition units (j : 'I_2) : vec := if j == 0%N :> nat then pt 0 1 else pt 0 (-1).
Definition net6 := Net 2 units (fun _ => - (1/2)) (fun _ => 1) (1/4) false.

Lemma f6 p q : f net6 (pt p q) = relu (q - 1/2) + relu (- q - 1/2).
Proof.
rewrite /f !big_ord_recl big_ord0 /pre /= /units /= !dot_pt.
by rewrite !mul1r !mul0r !add0r addr0 mulN1r.
Qed.

Lemma net6_in_R' j : 0 <= v net6 j.
Proof. by []. Qed.

(* net6 is in R'_S: it gives every point of S its label. *)
Lemma net6_accurate i : h net6 (x i) = y i.
Proof.
by case: i => [[|[|[|]]] i3] //=; rewrite /h /= f6; apply/eqP; vm_compute.
Qed.

(* ... yet the ray from (0,0) along -y w* = w* never leaves the -1 region. *)
Theorem max_margin_does_not_transfer k :
  h net6 (x 0 - (k * sg _ (y 0)) *: w_star section6_separator) = y 0.
Proof.
rewrite /= /w_star0 /sg /= pt_scale pt_sub /h /= f6 !mulr0 subr0 oppr0 !add0r.
by apply/eqP; vm_compute.
Qed.

(* Theorem 4 still holds for the linear separator, and the direction
   v = (2,1) - (0,0) of Theorem 15 / Corollary 17 transfers to both:
   here c_bound = max(1, (a - f(x_alpha) + K) / D) with K = 0, D = 1/2. *)
Definition figure3_cert : theorem15_cert net6 (x 0).
Proof.
apply: (@Theorem15Cert _ _ net6 (x 0) (x 0) (x 1) _ _ 0 _ (1/2) _ 1).
- by rewrite net6_accurate.
- by rewrite net6_accurate.
- by rewrite subrr /f big1 // => j _; rewrite dot0r normr0 mulr0.
- by rewrite /= !f6; apply/eqP; vm_compute.
- by rewrite /= f6; apply/eqP; vm_compute.
Defined.

Theorem direction_transfers k : 1 < k ->
  h net6 (x 0 + k *: (x 1 - x 0)) /\ linear_h w_star0 (-1) (x 0 + k *: (x 1 - x 0)).
Proof.
move=> k_gt1; split; first exact: (theorem15 net6 (x 0) figure3_cert k).
rewrite /linear_h /score /= pt_sub pt_scale pt_add /w_star0 dot_pt.
rewrite !subr0 !add0r mul1r mul0r addr0 subr_gt0.
have k_gt0 : 0 < k by apply: lt_trans k_gt1.
by apply: lt_trans k_gt1 _; rewrite ltr_pmulr //; apply/eqP; vm_compute.
Qed.

(* Theorem 15 needs c >= 1: with f(x) = |x - 1| = relu(x - 1) + relu(1 - x),
   x_alpha = x = 0, x_beta = 3 and c = 1/3, the bound
   f(x + c v) >= c D + f(x_alpha) - K fails (f(1) = 0 < 4/3). *)
Definition r1 (p : rat) : 'rV[rat]_1 := \row_(i < 1) p.

Lemma dot_r1 p q : dot (r1 p) (r1 q) = p * q.
Proof. by rewrite /dot big_ord_recl big_ord0 !mxE addr0. Qed.

Lemma r1_lin p q k : r1 p + k *: r1 q = r1 (p + k * q).
Proof. by apply/rowP => i; rewrite !mxE. Qed.

Lemma r1_sub p q : r1 p - r1 q = r1 (p - q).
Proof. by apply/rowP => i; rewrite !mxE. Qed.

Definition abs_net := Net 2 (fun j => r1 (if j == 0%N :> nat then 1 else -1))
  (fun j => if j == 0%N :> nat then -1 else 1) (fun _ => 1) 1 false.

Lemma f_abs p : f abs_net (r1 p) = relu (p - 1) + relu (1 - p).
Proof.
rewrite /f !big_ord_recl big_ord0 /pre /= !dot_r1.
by rewrite !mul1r addr0 mulN1r [- p + _]addrC.
Qed.

Lemma theorem15_needs_c_ge1 :
  let x_alpha := r1 0 in let x_beta := r1 3 in let c := 1/3 in
  f abs_net (x_alpha + c *: (x_beta - x_alpha)) <
  c * (f abs_net x_beta - f abs_net x_alpha) + f abs_net x_alpha
    - \sum_j v abs_net j * `|dot (u abs_net j) (x_alpha - x_alpha)|.
Proof.
rewrite /= subrr big1 => [|j _]; last by rewrite dot0r normr0 mulr0.
by rewrite r1_sub r1_lin !f_abs; vm_compute.
Qed.
