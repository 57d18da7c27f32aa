(* Theorem 8 (PROOFS.md, "Multi-class"): the pairwise reduction to Theorem 4. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Vec HardMargin.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Multiclass.
Variables (R : realFieldType) (d K : nat).
Notation vec := 'rV[R]_d.
(* The classifier argmax(Wx + b), rows W_m. *)
Variables (W : 'I_K -> vec) (bias : 'I_K -> R).

Definition z (m : 'I_K) (p : vec) := dot (W m) p + bias m.

(* p is classified k: k is the smallest index among the maximal entries. *)
Definition argmax_is (p : vec) (k : 'I_K) :=
  forall m : 'I_K, ((m < k)%N -> z m p < z k p) /\ ((k < m)%N -> z m p <= z k p).

(* The pair (k, l): n points of S[k] and S[l], y_i = +1 on S[k]. *)
Variables (k l : 'I_K) (n : nat) (x : 'I_n -> vec) (lab : 'I_n -> 'I_K).
Hypothesis k_neq_l : k != l.
Hypothesis pair_only : forall i, lab i = k \/ lab i = l.
Definition y i := lab i == k.

(* The binary classifier (w_k - w_l, b_k - b_l). *)
Definition w_kl := W k - W l.
Definition b_kl := bias k - bias l.

Lemma score_kl p : score w_kl b_kl p = z k p - z l p.
Proof. by rewrite /score /z /w_kl /b_kl dotBl; ring. Qed.

(* Class b outranks class a at p: then p is not classified a. *)
Lemma beaten p (a b : 'I_K) : z a p < z b p -> ~ argmax_is p a.
Proof.
move=> lt /(_ b) [below above].
case: (ltngtP b a) => [/below|/above|/val_inj eq]; first by rewrite ltNge (ltW lt).
  by rewrite leNgt lt.
by rewrite eq ltxx in lt.
Qed.

(* argmax(Wx + b) S-accurate on S[k] and S[l], with no point of S[k] tied
   between k and l, makes (w_k - w_l, b_k - b_l) S-accurate for the pair. *)
Lemma pair_accurate :
  (forall i, argmax_is (x i) (lab i)) ->
  (forall i, lab i = k -> z k (x i) != z l (x i)) ->
  accurate x y w_kl b_kl.
Proof.
move=> classified untied i; rewrite /linear_h score_kl subr_gt0 /y.
have [lk|ll] := pair_only i.
  rewrite lk eqxx lt_def (untied i lk) /= leNgt; apply/negP => lt.
  by apply: (beaten lt); rewrite -lk.
rewrite ll eq_sym (negbTE k_neq_l); apply/negP => lt.
by apply: (beaten lt); rewrite -ll.
Qed.

(* Theorem 8: with the max-margin separator of S[k] vs S[l] (C), every point
   of the pair leaves its class along -y w*_kl for every c past
   c_exit = y(z_k - z_l)(x) / <w_k - w_l, w*_kl>, possibly to a third class. *)
Theorem theorem8 (C : separator_cert x y) i c :
  (forall j, argmax_is (x j) (lab j)) ->
  (forall j, lab j = k -> z k (x j) != z l (x j)) ->
  c_exit C w_kl b_kl i < c ->
  ~ argmax_is (x i - (c * sg R (y i)) *: w_star C) (lab i).
Proof.
move=> classified untied past.
have inner_gt0 := theorem4_inner C (pair_accurate classified untied).
have := ray_margin C w_kl b_kl i c; move: past.
rewrite /c_exit ltr_pdivr_mulr // /margin !score_kl /y.
have [-> | ->] := pair_only i; rewrite ?eqxx /sg ?mul1r => past ray.
  by apply: (@beaten _ k l); rewrite -subr_lt0 ray subr_lt0.
move: past ray; rewrite eq_sym (negbTE k_neq_l) !mulN1r => past ray.
apply: (@beaten _ l k).
by rewrite -subr_gt0 -[X in 0 < X]opprK ray oppr_gt0 subr_lt0.
Qed.

(* Theorem 8 with the certificate's class map (its "classes": row m stands for
   class classes m). The checker refuses a class named twice, so the map is
   injective; past c_exit the winning row is then of another class, not just
   another row: the label itself changes. *)
Theorem theorem8_classes (T : eqType) (classes : 'I_K -> T) (C : separator_cert x y) i c m :
  injective classes ->
  (forall j, argmax_is (x j) (lab j)) ->
  (forall j, lab j = k -> z k (x j) != z l (x j)) ->
  c_exit C w_kl b_kl i < c ->
  argmax_is (x i - (c * sg R (y i)) *: w_star C) m ->
  classes m != classes (lab i).
Proof.
move=> inj classified untied past won; apply/negP => /eqP /inj same.
by apply: (theorem8 classified untied past); rewrite -same.
Qed.

End Multiclass.
