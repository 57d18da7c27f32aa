(* Convex regions of two-layer ReLU networks: Lemma 14, Theorems 11, 15, 16
   and Corollary 17 (PROOFS.md, "Convex regions"). *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Vec Ray.

Unset Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Convex.
Context {R : realFieldType} {d : nat}.
Notation vec := 'rV[R]_d.

Definition relu (t : R) := Num.max 0 t.

Lemma relu_ge0 t : 0 <= relu t.
Proof. by rewrite le_maxr lexx. Qed.

Lemma relu_ge t : t <= relu t.
Proof. by rewrite le_maxr lexx orbT. Qed.

Lemma relu_convex t p q : 0 <= t <= 1 ->
  relu (t * p + (1 - t) * q) <= t * relu p + (1 - t) * relu q.
Proof.
case/andP=> t_ge0 t_le1; have t'_ge0 : 0 <= 1 - t by rewrite subr_ge0.
rewrite le_maxl addr_ge0 ?mulr_ge0 ?relu_ge0 //=.
by rewrite ler_add // ler_wpmul2l // relu_ge.
Qed.

(* relu is 1-Lipschitz. *)
Lemma relu_lipschitz p q : relu q <= relu p + `|p - q|.
Proof.
rewrite le_maxl addr_ge0 ?relu_ge0 //= -{1}[q](subrK p) addrC.
by rewrite ler_add ?relu_ge // distrC ler_norm.
Qed.

Definition convex (A : vec -> bool) :=
  forall p q t, 0 <= t <= 1 -> A p -> A q -> A (t *: p + (1 - t) *: q).

(* A two-layer net of R': f(x) = sum_j v_j relu(<u_j,x> + c_j); h(x) = +1
   iff f(x) > a (rule "gt") or f(x) >= a (rule "ge"). *)
Record net := Net {
  width : nat;
  u : 'I_width -> vec;
  c : 'I_width -> R;
  v : 'I_width -> R;
  a : R;
  ge : bool
}.
Arguments u : clear implicits.
Arguments c : clear implicits.
Arguments v : clear implicits.

Definition pre (N : net) j (x : vec) := dot (u N j) x + c N j.
Definition f (N : net) (x : vec) := \sum_j v N j * relu (pre N j x).
Definition h (N : net) (x : vec) : bool := if ge N then a N <= f N x else a N < f N x.

Lemma pre_comb N j p q t :
  pre N j (t *: p + (1 - t) *: q) = t * pre N j p + (1 - t) * pre N j q.
Proof. by rewrite /pre dotDr !dotZr; ring. Qed.

(* Lemma 14: with every v_j >= 0, f is convex ... *)
Lemma f_convex N p q t : (forall j, 0 <= v N j) -> 0 <= t <= 1 ->
  f N (t *: p + (1 - t) *: q) <= t * f N p + (1 - t) * f N q.
Proof.
move=> v_ge0 t01; rewrite /f !mulr_sumr -big_split; apply: ler_sum => j _ /=.
rewrite pre_comb mulrCA [X in _ <= _ + X]mulrCA -mulrDr ler_wpmul2l //.
exact: relu_convex.
Qed.

(* ... so the -1 region, {f <= a} under "gt" and {f < a} under "ge", is convex. *)
Lemma lemma14 N : (forall j, 0 <= v N j) -> convex (fun x => ~~ h N x).
Proof.
move=> v_ge0 p q t t01; case/andP: (t01) => t_ge0 t_le1.
have t'_ge0 : 0 <= 1 - t by rewrite subr_ge0.
set m := Num.max (f N p) (f N q).
have comb : f N (t *: p + (1 - t) *: q) <= m.
  apply: le_trans (f_convex N p q t v_ge0 t01) _.
  have fp : f N p <= m by rewrite le_maxr lexx.
  have fq : f N q <= m by rewrite le_maxr lexx orbT.
  apply: le_trans (ler_add (ler_wpmul2l t_ge0 fp) (ler_wpmul2l t'_ge0 fq)) _.
  by rewrite -mulrDl [t + _]addrC subrK mul1r.
rewrite /h; case: (ge N); rewrite -?ltNge -?leNgt => fp fq.
  by apply: le_lt_trans comb _; rewrite lt_maxl fp fq.
by apply: le_trans comb _; rewrite le_maxl fp fq.
Qed.

(* The open ball of radius r around p in the sup norm: a basic neighbourhood
   of p in the topology of R^d. *)
Definition ball (p : vec) (r : R) (q : vec) := forall i, `|q 0 i - p 0 i| < r.

(* x_beta + (x - x_alpha)/c is the convex combination with weight 1/c of
   x + c (x_beta - x_alpha) and x_alpha (Theorem 11's and 15's key step). *)
Lemma comb_shift (x x_alpha x_beta : vec) (k : R) : 0 < k ->
  k^-1 *: (x + k *: (x_beta - x_alpha)) + (1 - k^-1) *: x_alpha =
  x_beta + k^-1 *: (x - x_alpha).
Proof.
move=> k_gt0; have k_neq0 : k != 0 by rewrite gt_eqF.
apply/rowP => i; rewrite !mxE.
by move: (x 0 i) (x_alpha 0 i) (x_beta 0 i) => p q s; field.
Qed.

Lemma inv_in01 (k : R) : 1 <= k -> 0 <= k^-1 <= 1.
Proof.
move=> k_ge1; have k_gt0 : 0 < k by apply: lt_le_trans k_ge1.
by rewrite invr_ge0 ltW //= invf_le1.
Qed.

(* Theorem 11: if A = h^-1(alpha) is convex, x_alpha is in A and a ball around
   x_beta misses A, then v = x_beta - x_alpha leaves A from every x in A, at
   the latest at c = 1 + (sum_i |x_i - x_alpha_i|) / r. *)
Theorem theorem11 (A : vec -> bool) (x_alpha x_beta x : vec) (r : R) :
  convex A -> A x_alpha -> 0 < r -> (forall q, ball x_beta r q -> ~~ A q) -> A x ->
  exists k, 0 < k /\ ~~ A (x + k *: (x_beta - x_alpha)).
Proof.
move=> convA in_alpha r_gt0 outside in_x.
set N := \sum_i `|x 0 i - x_alpha 0 i|.
have N_ge0 : 0 <= N by apply: sumr_ge0 => i _.
set k := 1 + N / r.
have k_ge1 : 1 <= k by rewrite ler_addl divr_ge0 // ltW.
have k_gt0 : 0 < k by apply: lt_le_trans k_ge1.
exists k; split => //; apply/negP => in_ray.
have := convA _ _ _ (inv_in01 k k_ge1) in_ray in_alpha.
rewrite comb_shift //; apply/negP/outside => i.
rewrite !mxE addrAC subrr add0r normrM gtr0_norm ?invr_gt0 // mulrC.
rewrite ltr_pdivr_mulr // (le_lt_trans _ (_ : N < r * k)) //.
  by rewrite /N (bigD1 i) //= ler_addl sumr_ge0.
by rewrite /k mulrDr mulr1 mulrC divfK ?gt_eqF // ltr_addr.
Qed.
(* Theorem 11 for R': the -1 region is convex (Lemma 14), so if a ball
   around x_beta lies in the +1 region, x_beta - x_alpha is adversarial at
   every -1 point. *)
Corollary theorem11_relu N x_alpha x_beta r x : (forall j, 0 <= v N j) ->
  ~~ h N x_alpha -> 0 < r -> (forall q, ball x_beta r q -> h N q) -> ~~ h N x ->
  exists k, 0 < k /\ h N (x + k *: (x_beta - x_alpha)).
Proof.
move=> v_ge0 minus r_gt0 plus at_x.
have [|k [k_gt0 out]] := theorem11 (fun p => ~~ h N p) x_alpha x_beta x r (lemma14 N v_ge0) minus r_gt0 _ at_x.
  by move=> q /plus ->.
by exists k; rewrite negbK in out.
Qed.

(* Theorem 15, quantitative (PROOFS.md): the certificate for one point x of
   an R' net with every v_j >= 0. *)
Record theorem15_cert (N : net) (x : vec) := Theorem15Cert {
  x_alpha : vec;
  x_beta : vec;
  alpha_minus : ~~ h N x_alpha;            (* x_alpha in S[-1], classified -1 *)
  beta_plus : h N x_beta;                  (* x_beta in S[+1], classified +1 *)
  K : R;
  K_def : K = \sum_j v N j * `|dot (u N j) (x - x_alpha)|;
  D : R;
  D_def : D = f N x_beta - f N x_alpha;
  c_bound : R;
  c_bound_def : c_bound = Num.max 1 ((a N - f N x_alpha + K) / D)
}.
Arguments x_alpha {N x}.
Arguments x_beta {N x}.
Arguments K {N x}.
Arguments D {N x}.
Arguments c_bound {N x}.

Lemma D_gt0 N x (C : theorem15_cert N x) : 0 < D C.
Proof.
have := alpha_minus N x C; have := beta_plus N x C.
rewrite (D_def N x C) subr_gt0 /h; case: (ge N); rewrite -?ltNge -?leNgt => plus minus.
  exact: lt_le_trans minus plus.
exact: le_lt_trans minus plus.
Qed.

(* sigma is 1-Lipschitz: f(x_beta) <= f(x_beta + (x - x_alpha)/k) + K/k. *)
Lemma f_lipschitz N x (C : theorem15_cert N x) k : (forall j, 0 <= v N j) -> 0 < k ->
  f N (x_beta C) <= f N (x_beta C + k^-1 *: (x - x_alpha C)) + k^-1 * K C.
Proof.
move=> v_ge0 k_gt0; rewrite (K_def N x C) /f mulr_sumr -big_split; apply: ler_sum => j _ /=.
rewrite mulrCA -mulrDr ler_wpmul2l //.
apply: le_trans (relu_lipschitz (pre N j (x_beta C + k^-1 *: (x - x_alpha C))) (pre N j (x_beta C))) _.
rewrite ler_add2l /pre dotDr dotZr.
have -> : forall p q r : R, p + q + r - (p + r) = q by move=> *; ring.
by rewrite normrM gtr0_norm ?invr_gt0.
Qed.

(* Convexity with weight 1/k: k f(x_beta + (x - x_alpha)/k) <= f(x + k v) + (k - 1) f(x_alpha). *)
Lemma f_ray_lower N x (C : theorem15_cert N x) k : (forall j, 0 <= v N j) -> 1 <= k ->
  k * D C + f N (x_alpha C) - K C <= f N (x + k *: (x_beta C - x_alpha C)).
Proof.
move=> v_ge0 k_ge1; have k_gt0 : 0 < k by apply: lt_le_trans k_ge1.
have conv := f_convex N (x + k *: (x_beta C - x_alpha C)) (x_alpha C) (k^-1) v_ge0 (inv_in01 k k_ge1).
rewrite comb_shift // in conv.
have := le_trans (f_lipschitz N x C k v_ge0 k_gt0) (ler_add conv (lexx (k^-1 * K C))).
rewrite -(ler_pmul2l k_gt0) (D_def N x C).
move: (f N (x + k *: (x_beta C - x_alpha C))) (f N (x_alpha C)) (f N (x_beta C)) (K C).
move=> F fa fb KK H; have k_neq0 : k != 0 by rewrite gt_eqF.
have -> : k * (fb - fa) + fa - KK = k * fb - ((k - 1) * fa + KK) by ring.
have expand : k * (k^-1 * F + (1 - k^-1) * fa + k^-1 * KK) = F + ((k - 1) * fa + KK) by field.
by rewrite ler_subl_addr -expand.
Qed.


Lemma above_threshold (F a fa KK kD : R) :
  kD + fa - KK <= F -> (a - fa + KK <= kD -> a <= F) /\ (a - fa + KK < kD -> a < F).
Proof.
move=> low; rewrite -subr_ge0 in low.
have split_gap : F - a = (kD - (a - fa + KK)) + (F - (kD + fa - KK)) by ring.
split => gap; first by rewrite -subr_ge0 split_gap addr_ge0 // subr_ge0.
by rewrite -subr_gt0 split_gap ltr_paddr // subr_gt0.
Qed.

(* Theorem 15: x + k (x_beta - x_alpha) is classified +1 for every k past
   c_bound (at c_bound too under "ge"). *)
Theorem theorem15 N x (C : theorem15_cert N x) k : (forall j, 0 <= v N j) ->
  (if ge N then c_bound C <= k else c_bound C < k) ->
  h N (x + k *: (x_beta C - x_alpha C)).
Proof.
move=> v_ge0 past; have D_pos := D_gt0 N x C.
have bound_le : c_bound C <= k by move: past; case: (ge N) => // /ltW.
have k_ge1 : 1 <= k by apply: le_trans bound_le; rewrite (c_bound_def N x C) le_maxr lexx.
have q_le : (a N - f N (x_alpha C) + K C) / D C <= c_bound C.
  by rewrite (c_bound_def N x C) le_maxr lexx orbT.
have [le lt] := above_threshold _ (a N) _ _ _ (f_ray_lower N x C k v_ge0 k_ge1).
move: past; rewrite /h; case: (ge N) => past.
  by apply: le; rewrite -ler_pdivr_mulr //; apply: le_trans q_le past.
by apply: lt; rewrite -ltr_pdivr_mulr //; apply: le_lt_trans q_le past.
Qed.

(* Theorem 16 (R''): h(x) = +1 iff every unit l_j(x) = <u_j,x> + c_j is
   positive. The certificate for a point x with h(x) = +1 along v: the unit j0
   that vanishes first, and c_exit. *)
Definition h'' (N : net) (x : vec) : bool := [forall j, 0 < pre N j x].

Record theorem16_cert (N : net) (x dir : vec) := Theorem16Cert {
  j0 : 'I_(width N);
  slope_neg : dot (u N j0) dir < 0;
  c_exit : R;
  c_exit_def : c_exit = pre N j0 x / - dot (u N j0) dir;
  c_exit_min : forall j, dot (u N j) dir < 0 -> c_exit <= pre N j x / - dot (u N j) dir
}.
Arguments c_exit {N x dir}.

(* Some unit separates x_alpha in S[+1] from x_beta in S[-1]: its slope
   along x_beta - x_alpha is negative, so j0 exists. *)
Lemma theorem16_unit N x_alpha x_beta : h'' N x_alpha -> ~~ h'' N x_beta ->
  exists j, dot (u N j) (x_beta - x_alpha) < 0.
Proof.
move=> /forallP plus /forallPn [j]; rewrite -leNgt => minus; exists j.
by rewrite (dotB_affine _ (c N j)) subr_lt0; apply: le_lt_trans minus (plus j).
Qed.

Lemma pre_ray N j x dir k : pre N j (x + k *: dir) = pre N j x + k * dot (u N j) dir.
Proof. by rewrite /pre dotDr dotZr addrAC. Qed.

Theorem theorem16 N x dir (C : theorem16_cert N x dir) k : h'' N x -> 0 <= k ->
  h'' N (x + k *: dir) = (k < c_exit C).
Proof.
move=> /forallP plus k_ge0.
have exits j : dot (u N j) dir < 0 -> (0 < pre N j (x + k *: dir)) = (k < pre N j x / - dot (u N j) dir).
  by move=> s_lt0; rewrite pre_ray ltr_pdivl_mulr ?oppr_gt0 // mulrN -[X in _ = X]subr_gt0 opprK.
apply/forallP/idP => [all_pos | before j].
  by rewrite (c_exit_def N x dir C) -exits ?all_pos ?slope_neg.
have [s_lt0 | s_ge0] := ltP (dot (u N j) dir) 0.
  by rewrite exits //; apply: lt_le_trans before (c_exit_min N x dir C j s_lt0).
by rewrite pre_ray ltr_paddr ?mulr_ge0.
Qed.

(* Corollary 17, linear part: for h in H_S, <w, v> > 0 with
   v = x_beta - x_alpha, and h(x + k v) = +1 exactly past
   c_exit = -(<w,x> + b) / <w,v>. *)
Lemma corollary17_linear (w x_alpha x_beta x : vec) (b k : R) :
  ~~ linear_h w b x_alpha -> linear_h w b x_beta ->
  0 < dot w (x_beta - x_alpha) /\
  linear_h w b (x + k *: (x_beta - x_alpha)) =
    (- score w b x / dot w (x_beta - x_alpha) < k).
Proof.
rewrite /linear_h -leNgt => minus plus.
have s_gt0 : 0 < dot w (x_beta - x_alpha).
  by rewrite (dotB_affine _ b) subr_gt0 (le_lt_trans minus plus).
by split=> //; apply: ray_exit_up.
Qed.

(* Corollary 17: the one direction v = x_beta - x_alpha (x_alpha in S[-1],
   x_beta in S[+1]) is adversarial at every -1 point for every linear
   classifier and every R' net that classifies x_alpha and x_beta correctly. *)
Theorem corollary17 (x_alpha x_beta : vec) :
  (forall (w : vec) b x, ~~ linear_h w b x_alpha -> linear_h w b x_beta -> ~~ linear_h w b x ->
     exists k, 0 < k /\ linear_h w b (x + k *: (x_beta - x_alpha))) /\
  (forall N x, (forall j, 0 <= v N j) -> ~~ h N x_alpha -> h N x_beta ->
     exists k, 0 < k /\ h N (x + k *: (x_beta - x_alpha))).
Proof.
split=> [w b x minus plus at_x | N x v_ge0 minus plus].
  have [s_gt0 exit] := corollary17_linear w x_alpha x_beta x b
    (- score w b x / dot w (x_beta - x_alpha) + 1) minus plus.
  have exit_ge0 : 0 <= - score w b x / dot w (x_beta - x_alpha).
    by rewrite divr_ge0 ?(ltW s_gt0) // oppr_ge0 leNgt.
  exists (- score w b x / dot w (x_beta - x_alpha) + 1); split.
    exact: ltr_spaddr ltr01 exit_ge0.
  by rewrite exit ltr_addl ltr01.
pose C := Theorem15Cert N x x_alpha x_beta minus plus _ erefl _ erefl _ erefl.
have bound_ge1 : 1 <= c_bound C by rewrite (c_bound_def N x C) le_maxr lexx.
exists (c_bound C + 1); split; first exact: ltr_spaddr ltr01 (le_trans ler01 bound_ge1).
by apply: (theorem15 N x C) => //; case: (ge N); rewrite ?ltr_addl ?ler_addl ?ler01 ?ltr01.
Qed.

End Convex.
