(* Hard margin: Lemma 3, the Farkas certificate, Theorems 4 and 5, Corollary 6
   (PROOFS.md, "Hard margin"). Each hypothesis of a theorem is a field of the
   certificate the checker verifies; README.md maps one to the other. *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Vec.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section HardMargin.
Variables (R : realFieldType) (d n : nat).
Notation vec := 'rV[R]_d.
(* The data S: n points x_i with labels y_i (true is +1). *)
Variables (x : 'I_n -> vec) (y : 'I_n -> bool).

(* h_{w,b} gives every point of S its label. *)
Definition accurate w b := forall i, linear_h w b (x i) = y i.

(* y_i (<w,x_i> + b) *)
Definition margin w b i := sg R (y i) * score w b (x i).

Lemma accurate_margin w b i :
  accurate w b -> if y i then 0 < margin w b i else 0 <= margin w b i.
Proof.
move/(_ i); rewrite /margin /linear_h /sg => <-.
case: ifP => [pos|/negbT pos]; first by rewrite pos mul1r.
by rewrite (negbTE pos) mulN1r oppr_ge0 leNgt.
Qed.

(* sum_i a_i y_i x_i: the combination the KKT and Farkas certificates carry. *)
Definition combination (a : 'I_n -> R) : vec := \sum_i (a i * sg R (y i)) *: x i.

(* <w, sum a_i y_i x_i> = sum a_i y_i (<w,x_i> + b) when sum a_i y_i = 0. *)
Lemma dot_combination (a : 'I_n -> R) w b :
  \sum_i a i * sg R (y i) = 0 ->
  dot w (combination a) = \sum_i a i * margin w b i.
Proof.
move=> balanced; rewrite dot_sumr.
have -> : \sum_i a i * margin w b i =
          \sum_i dot w ((a i * sg R (y i)) *: x i) + (\sum_i a i * sg R (y i)) * b.
  rewrite mulr_suml -big_split; apply: eq_bigr => i _.
  by rewrite dotZr /margin /score mulrA mulrDr.
by rewrite balanced mul0r addr0.
Qed.

(* With a_i >= 0, sum a_i y_i = 0 and sum a_i > 0, some +1 point carries weight,
   so an S-accurate h makes sum a_i y_i (<w,x_i> + b) positive. *)
Lemma weighted_margin_gt0 (a : 'I_n -> R) w b :
  (forall i, 0 <= a i) -> \sum_i a i * sg R (y i) = 0 -> 0 < \sum_i a i ->
  accurate w b -> 0 < \sum_i a i * margin w b i.
Proof.
move=> a_ge0 balanced a_pos acc.
have m_ge0 i : 0 <= a i * margin w b i.
  by apply: mulr_ge0 => //; have := accurate_margin i acc; case: (y i) => // /ltW.
have split_sum (F : 'I_n -> R) : \sum_i F i = \sum_(i | y i) F i + \sum_(i | ~~ y i) F i.
  exact: bigID.
have plus_half : \sum_(i | y i) a i = \sum_(i | ~~ y i) a i.
  apply/eqP; rewrite -subr_eq0; apply/eqP; rewrite -[RHS]balanced.
  rewrite [RHS](bigID (fun i => y i)) /=; congr (_ + _).
    by apply: eq_bigr => i ->; rewrite /sg mulr1.
  by rewrite -sumrN; apply: eq_bigr => i /negbTE ->; rewrite /sg mulrN1.
have plus_pos : 0 < \sum_(i | y i) a i.
  have := a_pos; rewrite split_sum -plus_half -mulr2n pmulrn_lgt0 //.
rewrite split_sum ltr_paddr ?sumr_ge0 //; move: plus_pos; apply: contraTT.
rewrite -!leNgt => le0.
have /eqP sum0 : \sum_(i | y i) a i * margin w b i == 0 by rewrite eq_le le0 sumr_ge0.
rewrite big1 // => i yi; have := psumr_eq0P (fun j _ => m_ge0 j) sum0 yi.
have := accurate_margin i acc; rewrite yi => m_gt0.
by move/eqP; rewrite mulf_eq0 (gt_eqF m_gt0) orbF => /eqP.
Qed.

(* The separator certificate ("lemma3"; the first half of "4", "5", "corollary6"). *)
Record separator_cert := SeparatorCert {
  w_star : vec;
  b_star : R;
  alpha : 'I_n -> R;          (* the support's alpha, 0 off the support *)
  margin_sq : R;
  alpha_ge0 : forall i, 0 <= alpha i;
  kkt1 : w_star = combination alpha;
  kkt2 : (\sum_i alpha i * sg R (y i))%R = 0;
  kkt3_feasible : forall i, 1 <= margin w_star b_star i;
  kkt3_active : forall i, alpha i != 0 -> margin w_star b_star i = 1;
  margin_sq_alpha : (margin_sq * (\sum_i alpha i))%R = 1
}.

Section Separator.
Variable C : separator_cert.
Local Notation w_star := (w_star C).
Local Notation alpha := (alpha C).

Lemma alpha_sum_gt0 : 0 < \sum_i alpha i.
Proof.
have := margin_sq_alpha C; rewrite lt_def sumr_ge0 ?andbT; last by move=> i _; exact: alpha_ge0.
by apply: contra_eqN => /eqP->; rewrite mulr0 eq_sym oner_eq0.
Qed.

(* <w, w*> = sum alpha_i y_i (<w,x_i> + b) (Theorem 4's first step). *)
Lemma inner_margin w b : dot w w_star = \sum_i alpha i * margin w b i.
Proof. by rewrite (kkt1 C) (dot_combination w b (kkt2 C)). Qed.

(* Lemma 3: sum alpha_i = |w*|^2, so margin_sq = 1 / |w*|^2 ... *)
Lemma alpha_sum_norm : \sum_i alpha i = dot w_star w_star.
Proof.
rewrite (inner_margin _ (b_star C)); apply: eq_bigr => i _.
have [->|nz] := eqVneq (alpha i) 0; first by rewrite mul0r.
by rewrite (kkt3_active nz) mulr1.
Qed.

Lemma margin_sq_norm : margin_sq C = (dot w_star w_star)^-1.
Proof.
rewrite -alpha_sum_norm; apply: (mulIf (lt0r_neq0 alpha_sum_gt0)).
by rewrite margin_sq_alpha mulVf // lt0r_neq0 // alpha_sum_gt0.
Qed.

(* ... and no (w, b) with every y_i(<w,x_i> + b) >= 1 is shorter than w*:
   (w_star, b_star) is the max-margin separator of S. *)
Theorem lemma3_max_margin w b :
  (forall i, 1 <= margin w b i) -> dot w_star w_star <= dot w w.
Proof.
move=> feasible.
have inner_ge : dot w_star w_star <= dot w w_star.
  rewrite -alpha_sum_norm (inner_margin w b); apply: ler_sum => i _.
  by rewrite -{1}[alpha i]mulr1 ler_wpmul2l // alpha_ge0.
have := dot_ge0 (w - w_star).
rewrite !dotBl !dotBr (dotC w_star w) => sq_ge0.
rewrite -subr_ge0.
have -> : dot w w - dot w_star w_star = (dot w w - dot w w_star - (dot w w_star - dot w_star w_star))
  + (dot w w_star - dot w_star w_star) *+ 2 by rewrite mulr2n; ring.
by rewrite addr_ge0 // mulrn_wge0 // subr_ge0.
Qed.

(* Theorem 4: every S-accurate linear classifier has <w, w*> > 0 ... *)
Theorem theorem4_inner w b : accurate w b -> 0 < dot w w_star.
Proof.
move=> acc; rewrite (inner_margin w b).
exact: weighted_margin_gt0 (alpha_ge0 C) (kkt2 C) alpha_sum_gt0 acc.
Qed.

(* ... and along x_i - c y_i w* its label leaves y_i exactly past
   c_exit = y_i(<w,x_i> + b) / <w,w*>: at c_exit itself for a +1 point,
   just after it for a -1 point. *)
Definition c_exit w b i := margin w b i / dot w w_star.

Lemma ray_margin w b i c :
  sg R (y i) * score w b (x i - (c * sg R (y i)) *: w_star) = margin w b i - c * dot w w_star.
Proof.
by rewrite /margin /score dotBr dotZr; case: (y i); rewrite /sg; ring.
Qed.

Theorem theorem4_exit w b i c : accurate w b ->
  (linear_h w b (x i - (c * sg R (y i)) *: w_star) != y i) =
  (if y i then c_exit w b i <= c else c_exit w b i < c).
Proof.
move=> acc; have inner_gt0 := theorem4_inner acc.
have := ray_margin w b i c; rewrite /linear_h /c_exit /margin /sg.
case: (y i) => [|]; rewrite ?mul1r ?mulN1r => ray.
  by rewrite ray eqb_id -leNgt subr_le0 ler_pdivr_mulr.
rewrite -[score _ _ (_ - _)]opprK ray eqbF_neg negbK oppr_gt0 subr_lt0.
by rewrite ltr_pdivr_mulr.
Qed.

(* Theorem 5, scale-free: gamma_h <= every margin gives
   <w,w*> >= gamma_h sum alpha, so c_exit_i <= bound_i. *)
Definition bound w b gamma i := margin w b i / (gamma * (\sum_i alpha i)).

Lemma theorem5_inner w b gamma :
  (forall i, gamma <= margin w b i) -> gamma * (\sum_i alpha i) <= dot w w_star.
Proof.
move=> least; rewrite (inner_margin w b) mulr_sumr; apply: ler_sum => i _.
by rewrite mulrC ler_wpmul2l ?alpha_ge0.
Qed.

Theorem theorem5 w b gamma i : accurate w b -> 0 < gamma ->
  (forall j, gamma <= margin w b j) -> c_exit w b i <= bound w b gamma i.
Proof.
move=> acc gamma_gt0 least; rewrite /c_exit /bound.
have lower_gt0 : 0 < gamma * (\sum_i alpha i) by rewrite mulr_gt0 // alpha_sum_gt0.
have m_ge0 : 0 <= margin w b i by apply: le_trans (ltW gamma_gt0) (least i).
rewrite ler_pdivl_mulr // mulrAC ler_pdivr_mulr ?(theorem4_inner acc) //.
by rewrite ler_wpmul2l // (theorem5_inner least).
Qed.

(* Every c > bound_i moves x_i out of its class. *)
Corollary theorem5_flip w b gamma i c : accurate w b -> 0 < gamma ->
  (forall j, gamma <= margin w b j) -> bound w b gamma i < c ->
  linear_h w b (x i - (c * sg R (y i)) *: w_star) != y i.
Proof.
move=> acc gamma_gt0 least past; rewrite theorem4_exit //.
have := le_lt_trans (theorem5 i acc gamma_gt0 least) past.
by case: (y i) => // /ltW.
Qed.

(* Corollary 6: at h's least-margin point the bound is c_S = margin_sq. *)
Corollary corollary6 w b k c : accurate w b -> 0 < margin w b k ->
  (forall j, margin w b k <= margin w b j) ->
  c_exit w b k <= margin_sq C /\
  (margin_sq C < c -> linear_h w b (x k - (c * sg R (y k)) *: w_star) != y k).
Proof.
move=> acc pos least.
have c_S : bound w b (margin w b k) k = margin_sq C.
  rewrite /bound invfM mulrA divff ?lt0r_neq0 // mul1r.
  apply: (mulIf (lt0r_neq0 alpha_sum_gt0)).
  by rewrite margin_sq_alpha mulVf // lt0r_neq0 // alpha_sum_gt0.
split; first by rewrite -c_S theorem5.
by rewrite -c_S; apply: theorem5_flip.
Qed.

End Separator.

(* The Farkas certificate ("farkas"): lambda >= 0, lambda != 0,
   sum lambda_i y_i x_i = 0 and sum lambda_i y_i = 0: no linear classifier,
   whatever (w, b), gives every point of S its label. *)
Record farkas_cert := FarkasCert {
  lambda : 'I_n -> R;
  lambda_ge0 : forall i, 0 <= lambda i;
  lambda_nonzero : 0 < \sum_i lambda i;
  farkas_points : combination lambda = 0;
  farkas_labels : (\sum_i lambda i * sg R (y i))%R = 0
}.

Theorem farkas_not_separable (F : farkas_cert) w b : ~ accurate w b.
Proof.
move=> acc; have := weighted_margin_gt0 (lambda_ge0 F) (farkas_labels F) (lambda_nonzero F) acc.
by rewrite -(dot_combination _ b (farkas_labels F)) farkas_points dot0r ltxx.
Qed.

End HardMargin.
