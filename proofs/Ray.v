(* The "ray" certificate for a linear classifier: along x + c v the score is
   s + c t with s = <w,x> + b and t = <w,v>, so the label changes for some
   c > 0 exactly when t points across the boundary, and c_exit = -s / t. *)
From mathcomp Require Import all_ssreflect all_algebra.
From Advdir Require Import Vec.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Ray.
Variables (R : realFieldType) (d : nat).
Implicit Types (w x v : 'rV[R]_d) (b c : R).

Lemma score_ray w b x v c : score w b (x + c *: v) = score w b x + c * dot w v.
Proof. by rewrite /score dotDr dotZr addrAC. Qed.

(* label_before = -1, slope > 0: +1 exactly past c_exit (differs_at_exit false). *)
Theorem ray_exit_up w b x v c : 0 < dot w v ->
  linear_h w b (x + c *: v) = (- score w b x / dot w v < c).
Proof.
move=> t_gt0; rewrite /linear_h score_ray ltr_pdivr_mulr //.
by rewrite -[X in _ = X]subr_gt0 opprK addrC.
Qed.

(* label_before = +1, slope < 0: -1 from c_exit on (differs_at_exit true). *)
Theorem ray_exit_down w b x v c : dot w v < 0 ->
  ~~ linear_h w b (x + c *: v) = (- score w b x / dot w v <= c).
Proof.
move=> t_lt0; have nt_gt0 : 0 < - dot w v by rewrite oppr_gt0.
rewrite /linear_h score_ray -leNgt -[X in _ = X](ler_pmul2r nt_gt0).
rewrite mulrN divfK ?lt_eqF // opprK mulrN ler_oppr.
by rewrite addrC -ler_subr_addr sub0r.
Qed.

(* adversarial = false: a slope that does not point across the boundary
   leaves the label unchanged for every c >= 0. *)
Theorem ray_never w b x v c : 0 <= c ->
  (if linear_h w b x then 0 <= dot w v else dot w v <= 0) ->
  linear_h w b (x + c *: v) = linear_h w b x.
Proof.
rewrite /linear_h score_ray => c_ge0; case: ifP => [s_gt0 t_ge0 | /negbT].
  by rewrite ltr_paddr ?mulr_ge0.
rewrite -leNgt => s_le0 t_le0; apply/negbTE; rewrite -leNgt.
by rewrite -[0]addr0 ler_add // mulr_ge0_le0.
Qed.

End Ray.
