(* The executable checker (issue 20): boolean functions over Coq's binary
   integers Z and rationals Q, extracted to OCaml by VExtract.v, each with a
   soundness theorem that ends in the theorems of HardMargin.v and Ray.v at
   every realFieldType (the reals and rat among them).

   Every rational vector is first written over one denominator and the
   conversion is checked, not proved: W_j * den(q_j) = num(q_j) * L. So the
   proofs need no fact about lcm or division, and every sum of the checks is a
   sum of integers, as in the C++ checker. *)
From Coq Require Import ZArith QArith_base.
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.zify Require Import ssrZ zify.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Vec Ray HardMargin.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.

(* ------------------------------------------------------------------ *)
(* The executable part: integers, lists, booleans; no proof inside.    *)

Definition q0 : Q := Qmake Z0 xH.
Definition qden (q : Q) : Z := Zpos (Qden q).

Definition zsum (l : seq Z) : Z := foldr Z.add Z0 l.
(* A zero entry of v (most pixels) costs no product. *)
Fixpoint zdot (u v : seq Z) : Z :=
  match u, v with a :: u', b :: v' => if Z.eqb b Z0 then zdot u' v' else Z.add (Z.mul a b) (zdot u' v') | _, _ => Z0 end.
Definition sgZ (y : bool) : Z := if y then (Zpos xH) else (Zneg xH).

(* A rational vector v over one denominator: v_j = W_j / L. *)
Definition lcm_dens (v : seq Q) : Z := foldr (fun q acc => Z.lcm (qden q) acc) (Zpos xH) v.
Definition integral (v : seq Q) : Z * seq Z :=
  let L := lcm_dens v in (L, map (fun q => Z.mul (Qnum q) (Z.div L (qden q))) v).
(* The one fact the proofs use, checked: L > 0 and W_j den(v_j) = num(v_j) L. *)
Definition integral_ok (v : seq Q) : bool :=
  let (L, W) := integral v in
  Z.ltb 0 L && all (fun p => Z.eqb (Z.mul p.2 (qden p.1)) (Z.mul (Qnum p.1) L)) (zip v W).

(* A dataset: x_i = rows_i / den, labels true for +1. *)
Record dataset := Dataset { den : Z; labs : seq bool; rows : seq (seq Z) }.
Lemma size_integral v : size (integral v).2 = size v.
Proof. exact: size_map. Qed.

Definition dim (S : dataset) : nat := size (head [::] (rows S)).
Definition data_ok (S : dataset) : bool :=
  Z.ltb 0 (den S) && Nat.eqb (size (labs S)) (size (rows S)) &&
  all (fun r => Nat.eqb (size r) (dim S)) (rows S).

(* margin_i = y_i (<W, X_i>/(L den) + b) = mnum_i / mden. *)
Definition margin_nums (S : dataset) (L : Z) (W : seq Z) (b : Q) : seq Z :=
  map (fun p => Z.mul (sgZ p.1) (Z.add (Z.mul (zdot W p.2) (qden b)) (Z.mul (Qnum b) (Z.mul L (den S)))))
      (zip (labs S) (rows S)).
Definition margin_den (S : dataset) (L : Z) (b : Q) : Z := Z.mul (Z.mul L (den S)) (qden b).

(* sum_i c_i X_i, row by row; a zero coefficient costs nothing. *)
Definition axpy (c : Z) (row acc : seq Z) : seq Z := map (fun p => Z.add p.1 (Z.mul c p.2)) (zip acc row).
Definition comb_step (p : Z * seq Z) (acc : seq Z) := if Z.eqb p.1 0 then acc else axpy p.1 p.2 acc.
Definition comb (S : dataset) (coefs : seq Z) : seq Z := foldr comb_step (nseq (dim S) Z0) (zip coefs (rows S)).
Definition signed (S : dataset) (A : seq Z) : seq Z := map (fun p => Z.mul p.1 (sgZ p.2)) (zip A (labs S)).

(* The separator certificate, with alpha written out for every point. *)
Record sep := Sep { w_s : seq Q; b_s : Q; alpha_s : seq Q; margin_sq_s : Q }.

(* Lemma 3 and KKT (1)-(3) (HardMargin.separator_cert). *)
Definition check_sep (S : dataset) (c : sep) : bool :=
  let (L, W) := integral (w_s c) in
  let (La, A) := integral (alpha_s c) in
  let coefs := signed S A in
  let mn := margin_nums S L W (b_s c) in
  let md := margin_den S L (b_s c) in
  data_ok S && integral_ok (w_s c) && integral_ok (alpha_s c) &&
  Nat.eqb (size (w_s c)) (dim S) && Nat.eqb (size (alpha_s c)) (size (rows S)) &&
  all (Z.leb 0) A &&                                                              (* alpha_ge0 *)
  all (fun p => Z.eqb (Z.mul p.1 (Z.mul La (den S))) (Z.mul p.2 L)) (zip W (comb S coefs)) && (* kkt1 *)
  Z.eqb (zsum coefs) 0 &&                                                         (* kkt2 *)
  Z.eqb (Z.mul (Qnum (margin_sq_s c)) (zsum A)) (Z.mul (qden (margin_sq_s c)) La) && (* margin_sq_alpha *)
  all (Z.leb md) mn &&                                                            (* kkt3_feasible *)
  all (fun p => Z.eqb p.1 0 || Z.eqb p.2 md) (zip A mn).                          (* kkt3_active *)

(* The Farkas certificate, lambda written out for every point (HardMargin.farkas_cert). *)
Definition check_farkas (S : dataset) (lambda : seq Q) : bool :=
  let (La, A) := integral lambda in
  let coefs := signed S A in
  data_ok S && integral_ok lambda && Nat.eqb (size lambda) (size (rows S)) &&
  all (Z.leb 0) A && Z.ltb 0 (zsum A) &&                        (* lambda_ge0, lambda_nonzero *)
  all (Z.eqb 0) (comb S coefs) && Z.eqb (zsum coefs) 0.         (* farkas_points, farkas_labels *)

(* A classifier h = (w, b) of a Theorem 4, 5 or Corollary 6 certificate. *)
Record clf := Clf { w_h : seq Q; b_h : Q; inner_h : Q }.

(* h is S-accurate (every margin positive) and inner = <w, w*>. *)
Definition check_clf (S : dataset) (c : sep) (h : clf) : bool :=
  let (L, W) := integral (w_h h) in
  let (Ls, Ws) := integral (w_s c) in
  integral_ok (w_h h) && Nat.eqb (size (w_h h)) (dim S) &&
  all (Z.ltb 0) (margin_nums S L W (b_h h)) &&
  Z.eqb (Z.mul (Qnum (inner_h h)) (Z.mul L Ls)) (Z.mul (qden (inner_h h)) (zdot W Ws)).

Definition h_nums (S : dataset) (h : clf) := let (L, W) := integral (w_h h) in margin_nums S L W (b_h h).
Definition h_den (S : dataset) (h : clf) := let (L, W) := integral (w_h h) in margin_den S L (b_h h).

(* c * inner = m / md *)
Definition exits_at (inner : Q) (md : Z) (c : Q) (m : Z) : bool :=
  Z.eqb (Z.mul (Z.mul (Qnum c) (Qnum inner)) md) (Z.mul (Z.mul (qden c) m) (qden inner)).
Definition qle (p q : Q) : bool := Z.leb (Z.mul (Qnum p) (qden q)) (Z.mul (Qnum q) (qden p)).
Definition qeq (p q : Q) : bool := Z.eqb (Z.mul (Qnum p) (qden q)) (Z.mul (Qnum q) (qden p)).

(* Theorem 4: c_exit_i for every point. *)
Definition check_exits (S : dataset) (h : clf) (c_exit : seq Q) : bool :=
  let md := h_den S h in
  Nat.eqb (size c_exit) (size (rows S)) &&
  all (fun p => exits_at (inner_h h) md p.1 p.2) (zip c_exit (h_nums S h)).

(* Theorem 5: gamma is h's least margin; bound_i gamma sum(alpha) = m_i; c_exit_i <= bound_i. *)
Definition check_bounds (S : dataset) (c : sep) (h : clf) (gamma : Q) (c_exit bound : seq Q) : bool :=
  let (La, A) := integral (alpha_s c) in
  let mn := h_nums S h in
  let md := h_den S h in
  Nat.eqb (size bound) (size (rows S)) &&
  all (fun m => Z.leb (Z.mul (Qnum gamma) md) (Z.mul (qden gamma) m)) mn &&
  has (fun m => Z.eqb (Z.mul (Qnum gamma) md) (Z.mul (qden gamma) m)) mn &&
  all (fun p => Z.eqb (Z.mul (Z.mul (Z.mul (Qnum p.1) (Qnum gamma)) (zsum A)) md)
                      (Z.mul (Z.mul (Z.mul p.2 (qden p.1)) (qden gamma)) La)) (zip bound mn) &&
  all (fun p => qle p.1 p.2) (zip c_exit bound).

(* Corollary 6: k is a point of least margin, c_exit its exit, at most c_S = margin_sq. *)
Definition check_least (S : dataset) (c : sep) (h : clf) (k : nat) (c_exit c_S : Q) : bool :=
  let mn := h_nums S h in
  let m_k := nth Z0 mn k in
  Nat.ltb k (size (rows S)) && all (Z.leb m_k) mn &&
  exits_at (inner_h h) (h_den S h) c_exit m_k &&
  qeq c_S (margin_sq_s c) && qle c_exit (margin_sq_s c).

(* A linear classifier along x + c v (Ray.v). *)
Record ray := Ray { w_r : seq Q; b_r : Q; x_r : seq Q; v_r : seq Q }.

(* score = <w, x> + b and slope = <w, v>, as exact rationals (not reduced). *)
Definition ray_score (r : ray) : Q :=
  let (Lw, W) := integral (w_r r) in let (Lx, X) := integral (x_r r) in
  Qmake (Z.add (Z.mul (zdot W X) (qden (b_r r))) (Z.mul (Qnum (b_r r)) (Z.mul Lw Lx)))
        (Z.to_pos (Z.mul (Z.mul Lw Lx) (qden (b_r r)))).
Definition ray_slope (r : ray) : Q :=
  let (Lw, W) := integral (w_r r) in let (Lv, V) := integral (v_r r) in
  Qmake (zdot W V) (Z.to_pos (Z.mul Lw Lv)).
Definition ray_ok (r : ray) : bool :=
  integral_ok (w_r r) && integral_ok (x_r r) && integral_ok (v_r r) &&
  Nat.eqb (size (x_r r)) (size (w_r r)) && Nat.eqb (size (v_r r)) (size (w_r r)).
(* The claims: label before, whether the ray is adversarial, and then either
   score and slope, or c_exit with score + c slope = 0 and c >= 0. *)
Definition before_plus (r : ray) : bool := Z.ltb 0 (Qnum (ray_score r)).
Definition adversarial (r : ray) : bool :=
  if before_plus r then Z.ltb (Qnum (ray_slope r)) 0 else Z.ltb 0 (Qnum (ray_slope r)).
Definition check_exit (r : ray) (c : Q) : bool :=
  let s := ray_score r in let t := ray_slope r in
  Z.leb 0 (Qnum c) &&
  Z.eqb (Z.add (Z.mul (Qnum s) (Z.mul (qden c) (qden t))) (Z.mul (Z.mul (Qnum c) (Qnum t)) (qden s))) 0.

(* ------------------------------------------------------------------ *)
(* From integers to any realFieldType.                                 *)

Local Open Scope ring_scope.

Section Interpretation.
Variable R : realFieldType.

Definition Z2R (z : Z) : R := (int_of_Z z)%:~R.
Definition Q2R (q : Q) : R := Z2R (Qnum q) / Z2R (qden q).

Lemma Z2R_add a b : Z2R (Z.add a b) = Z2R a + Z2R b.
Proof. by rewrite /Z2R -intrD; congr intmul; lia. Qed.
Lemma Z2R_mul a b : Z2R (Z.mul a b) = Z2R a * Z2R b.
Proof. by rewrite /Z2R -intrM; congr intmul; lia. Qed.
Lemma Z2R_0 : Z2R Z0 = 0. Proof. by []. Qed.
Lemma Z2R_1 : Z2R (Zpos xH) = 1. Proof. by []. Qed.
Lemma Z2R_N1 : Z2R (Zneg xH) = -1. Proof. by rewrite /Z2R; have -> : int_of_Z (Zneg xH) = -1 by lia. Qed.
Lemma Z2R_le a b : (Z2R a <= Z2R b) = Z.leb a b.
Proof. by rewrite /Z2R ler_int; lia. Qed.
Lemma Z2R_lt a b : (Z2R a < Z2R b) = Z.ltb a b.
Proof. by rewrite /Z2R ltr_int; lia. Qed.
Lemma Z2R_eq a b : (Z2R a == Z2R b) = Z.eqb a b.
Proof. by rewrite /Z2R eqr_int; lia. Qed.
Lemma Z2R_pos (p : positive) : 0 < Z2R (Zpos p).
Proof. by rewrite -Z2R_0 Z2R_lt. Qed.
Lemma qden_neq0 q : Z2R (qden q) != 0.
Proof. exact: lt0r_neq0 (Z2R_pos _). Qed.
Lemma Z2R_sg y : Z2R (sgZ y) = sg R y.
Proof. by case: y; rewrite /= ?Z2R_N1. Qed.
Lemma Z2R_eqP a b : Z.eqb a b -> Z2R a = Z2R b.
Proof. by rewrite -Z2R_eq => /eqP. Qed.

Lemma zsum_R l : Z2R (zsum l) = \sum_(z <- l) Z2R z.
Proof. by elim: l => [|z l IH]; rewrite ?big_nil ?big_cons //= Z2R_add IH. Qed.

Lemma sum_zip (T U : Type) (t0 : T) (u0 : U) (s : seq T) (s' : seq U) (F : T * U -> R) :
  size s = size s' -> \sum_(p <- zip s s') F p = \sum_(i < size s) F (nth t0 s i, nth u0 s' i).
Proof.
move=> eq_size; rewrite (big_nth (t0, u0)) size_zip -eq_size minnn big_mkord.
by apply: eq_bigr => i _; rewrite nth_zip.
Qed.

Lemma zdot_R u v : size u = size v ->
  Z2R (zdot u v) = \sum_(j < size u) Z2R (nth Z0 u j) * Z2R (nth Z0 v j).
Proof.
move=> eq_size; rewrite -(sum_zip Z0 Z0 (fun p => Z2R p.1 * Z2R p.2) eq_size).
elim: u v {eq_size} => [|a u IH] [|b v]; rewrite ?big_nil //=.
rewrite big_cons -IH /=; case: ifP => [/Z.eqb_eq -> | _]; last by rewrite Z2R_add Z2R_mul.
by rewrite Z2R_0 mulr0 add0r.
Qed.

Lemma all_zip_nth (T U : Type) (t0 : T) (u0 : U) (P : T * U -> bool) s s' i :
  size s = size s' -> all P (zip s s') -> (i < size s)%N -> P (nth t0 s i, nth u0 s' i).
Proof.
move=> eq_size /(all_nthP (t0, u0)) ok lt_i; rewrite -nth_zip //; apply: ok.
by rewrite size_zip -eq_size minnn.
Qed.

(* integral_ok v: every v_j is W_j / L, and the defaults past the end agree. *)
Lemma integral_R v : integral_ok v ->
  0 < Z2R (integral v).1 /\ forall j, Q2R (nth q0 v j) = Z2R (nth Z0 (integral v).2 j) / Z2R (integral v).1.
Proof.
rewrite /integral_ok /integral /=; set L := lcm_dens v; set W := map _ v.
case/andP=> L_pos ok; have L_gt0 : 0 < Z2R L by rewrite -Z2R_0 Z2R_lt.
split=> // j; have [lt_j|ge_j] := ltnP j (size v); last first.
  rewrite !nth_default ?size_map // /Q2R /=.
  by rewrite /Z2R /= !mul0r.
have eq_size : size v = size W by rewrite size_map.
have /= /Z2R_eqP := all_zip_nth q0 Z0 eq_size ok lt_j; rewrite !Z2R_mul /Q2R => eq_cross.
apply/eqP; rewrite eqr_div ?qden_neq0 ?lt0r_neq0 //; apply/eqP.
by rewrite eq_cross.
Qed.

(* The data as Coq's S: n = size rows points in dimension d = dim S. *)
Variable S : dataset.
Local Notation n := (size (rows S)).
Local Notation d := (dim S).
Local Notation vec := 'rV[R]_d.

Definition xR (i : 'I_n) : vec := \row_(j < d) (Z2R (nth Z0 (nth [::] (rows S) i) j) / Z2R (den S)).
Definition yR (i : 'I_n) : bool := nth false (labs S) i.
Definition vR (v : seq Q) : vec := \row_(j < d) Q2R (nth q0 v j).
Definition fR (v : seq Q) : 'I_n -> R := fun i => Q2R (nth q0 v i).

Hypothesis ok : data_ok S.

Lemma den_gt0 : 0 < Z2R (den S).
Proof. by move: ok; rewrite /data_ok -Z2R_0 Z2R_lt => /andP[/andP[]]. Qed.
Lemma labs_size : size (labs S) = n.
Proof. by move: ok; rewrite /data_ok => /andP[/andP[_ /PeanoNat.Nat.eqb_spec]]. Qed.
Lemma row_size i : (i < n)%N -> size (nth [::] (rows S) i) = d.
Proof.
move: ok; rewrite /data_ok => /andP[_ /allP sizes] lt_i.
by apply/PeanoNat.Nat.eqb_spec; apply: sizes; apply: mem_nth.
Qed.

(* <v, x_i> = <W, X_i> / (L den). *)
Lemma dot_xR v (i : 'I_n) : integral_ok v -> size v = d ->
  dot (vR v) (xR i) = Z2R (zdot (integral v).2 (nth [::] (rows S) i)) / (Z2R (integral v).1 * Z2R (den S)).
Proof.
move=> /integral_R [L_gt0 nth_v] size_v.
have size_W : size (integral v).2 = d by rewrite size_map.
rewrite zdot_R ?size_W ?row_size // mulr_suml /dot.
apply: eq_bigr => j _; rewrite !mxE nth_v.
by field; rewrite !lt0r_neq0 ?den_gt0.
Qed.

Lemma margin_R v b (i : 'I_n) : integral_ok v -> size v = d ->
  margin xR yR (vR v) (Q2R b) i =
  Z2R (nth Z0 (margin_nums S (integral v).1 (integral v).2 b) i) / Z2R (margin_den S (integral v).1 b).
Proof.
move=> int_v size_v; have [L_gt0 _] := integral_R int_v.
rewrite /margin /score dot_xR // /margin_nums /margin_den.
rewrite (nth_map (false, [::])) ?size_zip ?labs_size ?minnn // nth_zip ?labs_size //=.
rewrite !Z2R_mul !Z2R_add !Z2R_mul Z2R_sg /yR /Q2R.
by field; rewrite !lt0r_neq0 ?den_gt0 ?Z2R_pos.
Qed.

Lemma margin_den_gt0 v b : integral_ok v -> 0 < Z2R (margin_den S (integral v).1 b).
Proof.
by case/integral_R=> L_gt0 _; rewrite /margin_den !Z2R_mul !mulr_gt0 ?den_gt0 ?Z2R_pos.
Qed.

Lemma comb_rows coefs : size coefs = n -> all (fun p : Z * seq Z => size p.2 == d) (zip coefs (rows S)).
Proof.
move=> size_c; apply/(all_nthP (Z0, [::])) => i; rewrite size_zip size_c minnn => lt_i.
by rewrite nth_zip ?size_c //; apply/eqP/row_size.
Qed.

Lemma size_fold l : all (fun p : Z * seq Z => size p.2 == d) l -> size (foldr comb_step (nseq d Z0) l) = d.
Proof.
elim: l => [|[c r] l IH] /=; first by rewrite size_nseq.
case/andP=> /eqP size_r /IH {}IH; rewrite /comb_step; case: ifP => // _.
by rewrite size_map size_zip IH size_r minnn.
Qed.

Lemma size_comb coefs : size coefs = n -> size (comb S coefs) = d.
Proof. by move=> size_c; apply: size_fold (comb_rows size_c). Qed.

(* The combination, coordinate by coordinate: sum_i c_i X_ij. *)
Lemma comb_R coefs j : size coefs = n -> (j < d)%N ->
  Z2R (nth Z0 (comb S coefs) j) = \sum_(i < n) Z2R (nth Z0 coefs i) * Z2R (nth Z0 (nth [::] (rows S) i) j).
Proof.
move=> size_c lt_j.
transitivity (\sum_(p <- zip coefs (rows S)) Z2R p.1 * Z2R (nth Z0 p.2 j)); last first.
  by rewrite (sum_zip Z0 [::]) // size_c.
rewrite /comb; elim: (zip coefs (rows S)) (comb_rows size_c) => [|[c r] l IH] /=.
  by rewrite big_nil nth_nseq lt_j.
move=> sizes; have /andP[/eqP size_r rest] := sizes; rewrite big_cons /= /comb_step.
case: ifP => [/Z.eqb_eq /= -> | _]; first by rewrite Z2R_0 mul0r add0r IH.
have size_acc := size_fold rest.
rewrite /axpy (nth_map (Z0, Z0)) ?size_zip ?size_acc ?size_r ?minnn // nth_zip ?size_acc ?size_r //=.
by rewrite Z2R_add Z2R_mul IH // addrC.
Qed.

Lemma signed_R A (i : 'I_n) : size A = n -> Z2R (nth Z0 (signed S A) i) = Z2R (nth Z0 A i) * sg R (yR i).
Proof.
move=> size_A; rewrite /signed (nth_map (Z0, false)) ?size_zip ?size_A ?labs_size ?minnn //.
by rewrite nth_zip ?size_A ?labs_size //= Z2R_mul Z2R_sg.
Qed.

Lemma size_signed A : size A = n -> size (signed S A) = n.
Proof. by move=> size_A; rewrite size_map size_zip size_A labs_size minnn. Qed.

(* sum_i a_i y_i x_i, for a = A / La, coordinate by coordinate. *)
Lemma combination_R v : integral_ok v -> size v = n ->
  combination xR yR (fR v) = \row_(j < d) (Z2R (nth Z0 (comb S (signed S (integral v).2)) j) /
                                          (Z2R (integral v).1 * Z2R (den S))).
Proof.
move=> int_v size_v; have [La_gt0 nth_v] := integral_R int_v.
have size_A : size (integral v).2 = n by rewrite size_map.
apply/rowP=> j; rewrite summxE !mxE comb_R ?size_signed // mulr_suml.
apply: eq_bigr => i _; rewrite !mxE signed_R // /fR nth_v.
by field; rewrite !lt0r_neq0 ?den_gt0.
Qed.

Lemma sum_fR v : integral_ok v -> size v = n ->
  \sum_i fR v i = Z2R (zsum (integral v).2) / Z2R (integral v).1.
Proof.
move=> int_v size_v; have [La_gt0 nth_v] := integral_R int_v.
have size_A : size (integral v).2 = n by rewrite size_map.
rewrite zsum_R (big_nth Z0) size_A big_mkord mulr_suml.
by apply: eq_bigr => i _; rewrite /fR nth_v.
Qed.

Lemma sum_fR_sg v : integral_ok v -> size v = n ->
  \sum_i fR v i * sg R (yR i) = Z2R (zsum (signed S (integral v).2)) / Z2R (integral v).1.
Proof.
move=> int_v size_v; have [La_gt0 nth_v] := integral_R int_v.
have size_A : size (integral v).2 = n by rewrite size_map.
rewrite zsum_R (big_nth Z0) size_signed // big_mkord mulr_suml.
apply: eq_bigr => i _; rewrite /fR nth_v signed_R //.
by field; rewrite lt0r_neq0.
Qed.

End Interpretation.

(* A rational vector as a row of any realFieldType, and the dot product of two over
   their common denominators. *)
Section Rows.
Variables (R : realFieldType) (d : nat).

Definition rowQ (v : seq Q) : 'rV[R]_d := \row_(j < d) Q2R R (nth q0 v j).

Lemma dot_rowQ u v : integral_ok u -> integral_ok v -> size u = d -> size v = d ->
  dot (rowQ u) (rowQ v) = Z2R R (zdot (integral u).2 (integral v).2) / (Z2R R (integral u).1 * Z2R R (integral v).1).
Proof.
move=> /(integral_R R) [Lu_gt0 nth_u] /(integral_R R) [Lv_gt0 nth_v] size_u size_v.
rewrite zdot_R ?size_map ?size_u ?size_v // mulr_suml /dot.
apply: eq_bigr => j _; rewrite !mxE nth_u nth_v.
by field; rewrite !lt0r_neq0.
Qed.

End Rows.

Lemma check_sep_data S c : check_sep S c -> data_ok S.
Proof.
rewrite /check_sep; case: (integral _) => ? ?; case: (integral _) => ? ? /=.
by case/andP=> /andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[ok _] _] _] _] _] _] _] _] _] _.
Qed.

Lemma qeq_R (R : realFieldType) p q : qeq p q -> Q2R R p = Q2R R q.
Proof.
rewrite /qeq => /(Z2R_eqP R); rewrite !Z2R_mul /Q2R => cross.
by apply/eqP; rewrite eqr_div ?qden_neq0 // cross.
Qed.

Lemma qle_R (R : realFieldType) p q : qle p q -> Q2R R p <= Q2R R q.
Proof.
rewrite /qle -(Z2R_le R) !Z2R_mul /Q2R => cross.
by rewrite ler_pdivr_mulr ?Z2R_pos // mulrAC ler_pdivl_mulr ?Z2R_pos.
Qed.

(* y_i (<w, x_i> + b) > 0 at every point: h gives every point its label. *)
Lemma margins_accurate (R : realFieldType) d n (x : 'I_n -> 'rV[R]_d) y w b :
  (forall i, 0 < margin x y w b i) -> accurate x y w b.
Proof.
move=> pos i; have := pos i; rewrite /margin /linear_h /sg.
case: (y i); first by rewrite mul1r.
by rewrite mulN1r oppr_gt0 => /ltW; rewrite leNgt => /negbTE.
Qed.

Section Soundness.
Variables (R : realFieldType) (S : dataset).
Local Notation n := (size (rows S)).
Local Notation d := (dim S).
Local Notation x := (@xR R S).
Local Notation y := (@yR S).
Local Notation vecR := (@vR R S).
Local Notation funR := (@fR R S).
Local Notation Q2R := (@Q2R R).
Local Notation Z2R := (@Z2R R).

Hypothesis ok : data_ok S.

Lemma nat_eqb m k : Nat.eqb m k -> m = k.
Proof. by move/PeanoNat.Nat.eqb_spec. Qed.

Lemma size_nums L W b : size (margin_nums S L W b) = n.
Proof. by rewrite size_map size_zip labs_size // minnn. Qed.

Lemma nth_all (T : Type) (t0 : T) (P : pred T) s (i : nat) : all P s -> (i < size s)%N -> P (nth t0 s i).
Proof. by move=> /(all_nthP t0); apply. Qed.

Lemma fR_R v (i : 'I_n) : integral_ok v -> funR v i = Z2R (nth Z0 (integral v).2 i) / Z2R (integral v).1.
Proof. by rewrite /fR; case/(integral_R R)=> _ ->. Qed.

(* <u, v> = <U, V> / (Lu Lv). *)
Lemma dot_vR u v : integral_ok u -> integral_ok v -> size u = d -> size v = d ->
  dot (vecR u) (vecR v) = Z2R (zdot (integral u).2 (integral v).2) / (Z2R (integral u).1 * Z2R (integral v).1).
Proof. exact: (@dot_rowQ R d u v). Qed.

(* A certificate check_sep accepts is a HardMargin.separator_cert of S. *)
Lemma check_sep_cert c : check_sep S c ->
  exists C : separator_cert x y, [/\ w_star C = vecR (w_s c), b_star C = Q2R (b_s c),
                                     margin_sq C = Q2R (margin_sq_s c) & alpha C = funR (alpha_s c)].
Proof.
have := @margin_R R S ok (w_s c) (b_s c).
have := @combination_R R S ok (alpha_s c); have := @sum_fR R S (alpha_s c).
have := @sum_fR_sg R S ok (alpha_s c); have := @integral_R R (alpha_s c); have := @integral_R R (w_s c).
have := size_integral (w_s c); have := size_integral (alpha_s c).
rewrite /check_sep; case: (integral (w_s c)) => [L W]; case: (integral (alpha_s c)) => [La A] /=.
move=> size_A' size_W int_wR int_aR sum_sg sum_a comb_a margin_w.
case/andP=> /andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[_ int_w] int_a] /nat_eqb size_w] /nat_eqb size_a] A_ge0] kkt1] kkt2] msq] feas] act.
have [L_gt0 nth_w] := int_wR int_w; have [La_gt0 nth_a] := int_aR int_a.
have msq' : Z.eqb (Z.mul (Qnum (margin_sq_s c)) (zsum A)) (Z.mul (qden (margin_sq_s c)) La) := msq.
have size_A : size A = n by rewrite size_A'.
have D_gt0 := den_gt0 R ok; have md_gt0 : 0 < Z2R (margin_den S L (b_s c)).
  by rewrite /margin_den !Z2R_mul !mulr_gt0 ?Z2R_pos.
have fR_a i : funR (alpha_s c) i = Z2R (nth Z0 A i) / Z2R La by rewrite /fR nth_a.
have alpha_ge0 i : 0 <= funR (alpha_s c) i.
  by rewrite fR_a divr_ge0 ?(ltW La_gt0) // -(Z2R_0 R) Z2R_le; apply: nth_all A_ge0 _; rewrite size_A.
have kkt1' : vecR (w_s c) = combination x y (funR (alpha_s c)).
  rewrite comb_a //; apply/rowP => j; rewrite !mxE nth_w.
  have size_comb := size_comb ok (size_signed ok size_A).
  have eq_size : size W = size (comb S (signed S A)) by rewrite size_comb size_W size_w.
  have lt_j : (j < size W)%N by rewrite size_W size_w.
  move: (all_zip_nth Z0 Z0 eq_size kkt1 lt_j) => /(Z2R_eqP R).
  rewrite !Z2R_mul => cross; apply/eqP; rewrite eqr_div ?lt0r_neq0 ?mulr_gt0 //.
  by rewrite cross mulrC.
have kkt2' : \sum_i funR (alpha_s c) i * sg R (y i) = 0.
  by rewrite sum_sg // (Z2R_eqP R kkt2) Z2R_0 mul0r.
have margin_i i : margin x y (vecR (w_s c)) (Q2R (b_s c)) i =
                  Z2R (nth Z0 (margin_nums S L W (b_s c)) i) / Z2R (margin_den S L (b_s c)) by exact: margin_w.
have feas' i : 1 <= margin x y (vecR (w_s c)) (Q2R (b_s c)) i.
  rewrite margin_i ler_pdivl_mulr // mul1r Z2R_le.
  by apply: nth_all feas _; rewrite size_nums.
have act' i : funR (alpha_s c) i != 0 -> margin x y (vecR (w_s c)) (Q2R (b_s c)) i = 1.
  have eq_size : size A = size (margin_nums S L W (b_s c)) by rewrite size_nums size_A.
  have lt_i : (i < size A)%N by rewrite size_A.
  move: (all_zip_nth Z0 Z0 eq_size act lt_i).
  case/orP=> [/Z.eqb_eq /= A_i | /(Z2R_eqP R) /= m_i]; first by rewrite fR_a A_i Z2R_0 mul0r eqxx.
  by rewrite margin_i m_i divff // lt0r_neq0.
have msq_alpha : Q2R (margin_sq_s c) * (\sum_i funR (alpha_s c) i) = 1.
  rewrite sum_a // /Q2R; have := Z2R_eqP R msq'; rewrite !Z2R_mul => cross.
  apply/eqP; rewrite mulf_div cross -[X in _ == X](@divff _ (Z2R (qden (margin_sq_s c)) * Z2R La)) //.
  by rewrite mulf_neq0 ?qden_neq0 ?lt0r_neq0.
by exists (SeparatorCert alpha_ge0 kkt1' kkt2' feas' act' msq_alpha).
Qed.

(* Lemma 3: w* is the max-margin separator of S and margin_sq = 1 / |w*|^2. *)
Theorem lemma3_sound c : check_sep S c ->
  (forall w b, (forall i, 1 <= margin x y w b i) -> dot (vecR (w_s c)) (vecR (w_s c)) <= dot w w) /\
  Q2R (margin_sq_s c) = (dot (vecR (w_s c)) (vecR (w_s c)))^-1.
Proof.
case/check_sep_cert=> C [<- _ <- _]; split; first exact: lemma3_max_margin.
exact: margin_sq_norm.
Qed.

(* Theorem 4 for every S-accurate linear classifier, listed in the certificate or not:
   <w, w*> > 0, and x_i - k y_i w* leaves y_i exactly past y_i(<w,x_i>+b)/<w,w*>. *)
Theorem separator_theorem4 c : check_sep S c -> forall w b, accurate x y w b ->
  0 < dot w (vecR (w_s c)) /\
  forall i k, (linear_h w b (x i - (k * sg R (y i)) *: vecR (w_s c)) != y i) =
    (if y i then margin x y w b i / dot w (vecR (w_s c)) <= k else margin x y w b i / dot w (vecR (w_s c)) < k).
Proof.
case/check_sep_cert=> C [w_C _ _ _] w b acc; rewrite -w_C; split; first exact: theorem4_inner.
by move=> i k; rewrite (theorem4_exit C i k acc).
Qed.

(* The Farkas certificate: no linear classifier gives every point of S its label. *)
Theorem farkas_sound lambda : check_farkas S lambda -> forall w b, ~ accurate x y w b.
Proof.
have := size_integral lambda; have := @combination_R R S ok lambda.
have := @sum_fR R S lambda; have := @sum_fR_sg R S ok lambda; have := @integral_R R lambda.
rewrite /check_farkas; case: (integral lambda) => [La A] /=.
move=> int_R sum_sg sum_l comb_l size_A'.
case/andP=> /andP[/andP[/andP[/andP[/andP[_ int_l] /nat_eqb size_l] A_ge0] sum_pos] zero] labels.
have [La_gt0 nth_l] := int_R int_l.
have size_A : size A = n by rewrite size_A'.
have fR_l i : funR lambda i = Z2R (nth Z0 A i) / Z2R La by rewrite /fR nth_l.
have ge0 i : 0 <= funR lambda i.
  by rewrite fR_l divr_ge0 ?(ltW La_gt0) // -(Z2R_0 R) Z2R_le; apply: nth_all A_ge0 _; rewrite size_A.
have nonzero : 0 < \sum_i funR lambda i.
  by rewrite sum_l // divr_gt0 // -(Z2R_0 R) Z2R_lt.
have points : combination x y (funR lambda) = 0.
  rewrite comb_l //; apply/rowP => j; rewrite !mxE.
  have size_comb := size_comb ok (size_signed ok size_A).
  have lt_j : (j < size (comb S (signed S A)))%N by rewrite size_comb.
  by move: (nth_all Z0 zero lt_j) => /Z.eqb_eq <-; rewrite Z2R_0 mul0r.
have labels' : \sum_i funR lambda i * sg R (y i) = 0.
  by rewrite sum_sg // (Z2R_eqP R labels) Z2R_0 mul0r.
exact: farkas_not_separable (FarkasCert ge0 nonzero points labels').
Qed.

Section Classifier.
Variables (c : sep) (h : clf).
Hypotheses (sep_ok : check_sep S c) (h_ok : check_clf S c h).
Local Notation w := (vecR (w_h h)).
Local Notation b := (Q2R (b_h h)).

Lemma clf_facts : [/\ integral_ok (w_h h), size (w_h h) = d,
  forall i, margin x y w b i = Z2R (nth Z0 (h_nums S h) i) / Z2R (h_den S h),
  0 < Z2R (h_den S h) & all (Z.ltb 0) (h_nums S h)].
Proof.
move: h_ok; have := @margin_R R S ok (w_h h) (b_h h); have := @margin_den_gt0 R S ok (w_h h) (b_h h).
rewrite /check_clf /h_nums /h_den; case: (integral (w_h h)) => [L W] /=.
by move=> md_gt0 m_i /andP[/andP[/andP[int_w /nat_eqb size_w] pos] _]; split=> // [i|]; [exact: m_i | exact: md_gt0].
Qed.

Lemma clf_accurate : accurate x y w b.
Proof.
have [_ _ m_i md_gt0 pos] := clf_facts; apply: margins_accurate => i.
rewrite m_i divr_gt0 // -(Z2R_0 R) Z2R_lt; apply: nth_all pos _.
by rewrite /h_nums; case: (integral _) => L W; rewrite size_nums.
Qed.

Lemma clf_inner : dot w (vecR (w_s c)) = Q2R (inner_h h).
Proof.
have [int_w size_w _ _ _] := clf_facts.
have [int_s size_s] : integral_ok (w_s c) /\ size (w_s c) = d.
  by move: sep_ok; rewrite /check_sep; case: (integral _) => ? ?; case: (integral _) => ? ? /=;
     case/andP=> /andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[_ ->] _] /nat_eqb ->] _] _] _] _] _] _] _.
rewrite dot_vR //; move: h_ok (integral_R R int_w) (integral_R R int_s); rewrite /check_clf.
case: (integral (w_h h)) => [L W]; case: (integral (w_s c)) => [Ls Ws] /andP[_ /(Z2R_eqP R)].
rewrite !Z2R_mul /Q2R => cross [L_gt0 _] [Ls_gt0 _]; apply/eqP; rewrite eqr_div ?mulf_neq0 ?qden_neq0 ?lt0r_neq0 //.
by rewrite mulrC -cross mulrC.
Qed.

Lemma inner_gt0 : 0 < Q2R (inner_h h).
Proof.
have [C [w_C _ _ _]] := check_sep_cert sep_ok.
by rewrite -clf_inner -w_C; apply: theorem4_inner clf_accurate.
Qed.

(* exits_at: c * inner = m / md, i.e. c = HardMargin.c_exit. *)
Lemma exits_at_R (C : separator_cert x y) k (i : 'I_n) : w_star C = vecR (w_s c) ->
  exits_at (inner_h h) (h_den S h) k (nth Z0 (h_nums S h) i) -> c_exit C w b i = Q2R k.
Proof.
move=> w_C; have [_ _ m_i md_gt0 _] := clf_facts; have in_gt0 := inner_gt0.
rewrite /c_exit w_C clf_inner m_i; move: in_gt0 md_gt0; rewrite /exits_at.
move: (h_den S h) (nth Z0 (h_nums S h) i) => md0 m0 in_gt0 md_gt0 /(Z2R_eqP R).
rewrite !Z2R_mul /Q2R; move: in_gt0; rewrite /Q2R.
set m := Z2R m0; set md := Z2R md0; set inn := Z2R (Qnum _); set ind := Z2R (qden _).
set kn := Z2R (Qnum k); set kd := Z2R (qden k) => in_gt0 cross.
have inn_n : inn != 0 by apply: contraTneq in_gt0 => ->; rewrite mul0r ltxx.
have [ind_n kd_n md_n] : [/\ ind != 0, kd != 0 & md != 0] by rewrite !qden_neq0 lt0r_neq0.
have -> : m / md / (inn / ind) = (m * ind) / (md * inn) by field; rewrite inn_n ind_n md_n.
apply/eqP; rewrite eqr_div ?mulf_neq0 //; apply/eqP.
by rewrite (mulrC md) mulrA cross; ring.
Qed.

(* Theorem 4: h is S-accurate, <w, w*> = inner > 0, and along x_i - k y_i w* its
   label leaves y_i exactly past the certificate's c_exit_i. *)
Theorem theorem4_sound cs : check_exits S h cs ->
  [/\ accurate x y w b, dot w (vecR (w_s c)) = Q2R (inner_h h), 0 < Q2R (inner_h h) &
   forall i k, (linear_h w b (x i - (k * sg R (y i)) *: vecR (w_s c)) != y i) =
               (if y i then Q2R (nth q0 cs i) <= k else Q2R (nth q0 cs i) < k)].
Proof.
move=> /andP[/nat_eqb size_e all_e]; split; [exact: clf_accurate | exact: clf_inner | exact: inner_gt0 |].
have [C [w_C _ _ _]] := check_sep_cert sep_ok.
move=> i k; rewrite -w_C (@theorem4_exit _ _ _ _ _ C w b i k clf_accurate).
have eq_size : size cs = size (h_nums S h) by rewrite size_e /h_nums; case: (integral _) => ? ?; rewrite size_nums.
have lt_i : (i < size cs)%N by rewrite size_e.
by rewrite (exits_at_R w_C (all_zip_nth q0 Z0 eq_size all_e lt_i)).
Qed.

Lemma size_h_nums : size (h_nums S h) = n.
Proof. by rewrite /h_nums; case: (integral _) => ? ?; rewrite size_nums. Qed.

(* Theorem 5: gamma is h's least margin, bound_i is Theorem 5's bound, c_exit_i is at
   most bound_i, and every k past bound_i moves x_i out of its class. *)
Theorem theorem5_sound gamma cs bound : check_exits S h cs -> check_bounds S c h gamma cs bound ->
  exists C : separator_cert x y, [/\ w_star C = vecR (w_s c),
    forall j, Q2R gamma <= margin x y w b j, exists j, margin x y w b j = Q2R gamma &
    forall i : 'I_n, [/\ Q2R (nth q0 bound i) = HardMargin.bound C w b (Q2R gamma) i,
               c_exit C w b i = Q2R (nth q0 cs i),
               Q2R (nth q0 cs i) <= Q2R (nth q0 bound i) &
               forall k, Q2R (nth q0 bound i) < k -> linear_h w b (x i - (k * sg R (y i)) *: w_star C) != y i]].
Proof.
move=> exits bounds_ok; have [C [w_C _ _ alpha_C]] := check_sep_cert sep_ok; exists C.
have [int_a size_a] : integral_ok (alpha_s c) /\ size (alpha_s c) = n.
  by move: sep_ok; rewrite /check_sep; case: (integral _) => ? ?; case: (integral _) => ? ? /=;
     case/andP=> /andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[/andP[_ _] ->] _] /nat_eqb ->] _] _] _] _] _] _.
have [_ _ m_i md_gt0 pos] := clf_facts; have sum_gt0 := alpha_sum_gt0 C.
move: bounds_ok; have := @sum_fR R S (alpha_s c) int_a size_a; rewrite -alpha_C.
have lt_n (i : 'I_n) : (i < size (h_nums S h))%N by rewrite size_h_nums.
rewrite /check_bounds; case: (integral (alpha_s c)) => [La A]; rewrite [(La, A).1]/= [(La, A).2]/= => sum_a.
case/andP=> /andP[/andP[/andP[/nat_eqb size_b least] has_least] bounds] order.
have md_n : Z2R (h_den S h) != 0 by rewrite lt0r_neq0.
have gamma_le j : Q2R gamma <= margin x y w b j.
  move: (nth_all Z0 least (lt_n j)) md_gt0; rewrite m_i /Q2R.
  move: (h_den S h) (nth Z0 (h_nums S h) j) => md0 m0; rewrite -(Z2R_le R) !Z2R_mul => cross md_gt0.
  by rewrite ler_pdivr_mulr ?Z2R_pos // mulrAC ler_pdivl_mulr // [Z2R m0 * _]mulrC.
have gamma_eq : exists j, margin x y w b j = Q2R gamma.
  case/(has_nthP Z0): has_least => j; rewrite size_h_nums => lt_j P_j.
  exists (Ordinal lt_j); rewrite m_i /Q2R; move: md_n P_j.
  move: (h_den S h) (nth Z0 (h_nums S h) j) => md0 m0 md_n /(Z2R_eqP R); rewrite !Z2R_mul => cross.
  by apply/eqP; rewrite eqr_div ?qden_neq0 // mulrC -cross.
have gamma_gt0 : 0 < Q2R gamma.
  case: gamma_eq => j <-; rewrite m_i divr_gt0 // -(Z2R_0 R) Z2R_lt; apply: nth_all pos _.
  exact: lt_n.
split=> // i.
have bound_i : Q2R (nth q0 bound i) = HardMargin.bound C w b (Q2R gamma) i.
  have eq_size : size bound = size (h_nums S h) by rewrite size_b size_h_nums.
  have lt_i : (i < size bound)%N by rewrite size_b.
  move: (all_zip_nth q0 Z0 eq_size bounds lt_i) gamma_gt0 sum_gt0 md_n.
  rewrite /HardMargin.bound sum_a m_i /Q2R.
  move: (nth q0 bound i) (nth Z0 (h_nums S h) i) (h_den S h) => bq m0 md0.
  move=> /(Z2R_eqP R); rewrite !Z2R_mul.
  set bn := Z2R (Qnum bq); set bd := Z2R (qden bq); set gn := Z2R (Qnum gamma); set gd := Z2R (qden gamma).
  set sA := Z2R (zsum A); set m := Z2R m0; set md := Z2R md0 => cross g_gt0 s_gt0 md_n.
  have gn_n : gn != 0 by apply: contraTneq g_gt0 => ->; rewrite mul0r ltxx.
  have sA_n : sA != 0 by apply: contraTneq s_gt0 => ->; rewrite mul0r ltxx.
  have [bd_n gd_n La_n] : [/\ bd != 0, gd != 0 & Z2R La != 0].
    by rewrite !qden_neq0; split=> //; apply: contraTneq s_gt0 => ->; rewrite invr0 mulr0 ltxx.
  have -> : m / md / (gn / gd * (sA / Z2R La)) = (m * gd * Z2R La) / (md * gn * sA) by field; rewrite ?gn_n ?sA_n ?md_n ?gd_n ?La_n.
  apply/eqP; rewrite eqr_div ?mulf_neq0 //; apply/eqP.
  by transitivity (bn * gn * sA * md); [ring | rewrite cross; ring].
have exit_i : c_exit C w b i = Q2R (nth q0 cs i).
  move: exits => /andP[/nat_eqb size_e all_e].
  have eq_size : size cs = size (h_nums S h) by rewrite size_e size_h_nums.
  have lt_i : (i < size cs)%N by rewrite size_e.
  exact: exits_at_R w_C (all_zip_nth q0 Z0 eq_size all_e lt_i).
have le_i : Q2R (nth q0 cs i) <= Q2R (nth q0 bound i).
  apply: qle_R; move: exits => /andP[/nat_eqb size_e _].
  have eq_size : size cs = size bound by rewrite size_e size_b.
  by apply: (all_zip_nth q0 q0 eq_size order); rewrite size_e.
split=> // k; rewrite bound_i; apply: theorem5_flip clf_accurate gamma_gt0 gamma_le.
Qed.

(* Corollary 6: at a point k of h's least margin the exit is at most c_S = margin_sq. *)
Theorem corollary6_sound k c_e c_S : check_least S c h k c_e c_S ->
  exists C : separator_cert x y, [/\ w_star C = vecR (w_s c), Q2R c_S = margin_sq C,
    margin_sq C = Q2R (margin_sq_s c) &
    exists2 i : 'I_n, nat_of_ord i = k & [/\ forall j, margin x y w b i <= margin x y w b j,
       c_exit C w b i = Q2R c_e, Q2R c_e <= margin_sq C &
       forall k', margin_sq C < k' -> linear_h w b (x i - (k' * sg R (y i)) *: w_star C) != y i]].
Proof.
move=> least_ok; have [C [w_C _ msq_C _]] := check_sep_cert sep_ok; exists C.
move: least_ok; case/andP=> /andP[/andP[/andP[/PeanoNat.Nat.ltb_spec0/ssrnat.ltP lt_k least] exit] c_S_eq] c_e_le.
have [_ _ m_i md_gt0 pos] := clf_facts.
split=> //; first by rewrite msq_C; apply: qeq_R.
exists (Ordinal lt_k) => //.
have least_i : forall j, margin x y w b (Ordinal lt_k) <= margin x y w b j.
  move=> j; rewrite !m_i ler_pmul2r ?invr_gt0 // Z2R_le; apply: nth_all least _.
  by rewrite size_h_nums.
have exit_i : c_exit C w b (Ordinal lt_k) = Q2R c_e by exact: (@exits_at_R C c_e (Ordinal lt_k) w_C exit).
have pos_k : 0 < margin x y w b (Ordinal lt_k).
  by rewrite m_i divr_gt0 // -(Z2R_0 R) Z2R_lt; apply: nth_all pos _; rewrite size_h_nums.
split=> //; first by rewrite msq_C; apply: qle_R.
by move=> k'; have [_] := corollary6 C k' clf_accurate pos_k least_i.
Qed.

End Classifier.

End Soundness.

(* A linear classifier along x + k v: Ray.v's three cases, with the certificate's
   numbers. *)
Section RaySound.
Variables (R : realFieldType) (r : ray).
Hypothesis r_ok : ray_ok r.
Local Notation d := (size (w_r r)).
Local Notation Q2R := (@Q2R R).
Local Notation Z2R := (@Z2R R).
Local Notation rowQ := (@rowQ R d).
Local Notation w := (rowQ (w_r r)).
Local Notation b := (Q2R (b_r r)).
Local Notation x := (rowQ (x_r r)).
Local Notation v := (rowQ (v_r r)).
Local Notation dot_rowQ := (@dot_rowQ R d).

Lemma ray_facts : [/\ integral_ok (w_r r), integral_ok (x_r r), integral_ok (v_r r),
                      size (x_r r) = d & size (v_r r) = d].
Proof.
by case/andP: r_ok => /andP[/andP[/andP[-> ->] ->] /PeanoNat.Nat.eqb_spec ->] /PeanoNat.Nat.eqb_spec ->.
Qed.

Lemma Z2R_to_pos z : Z.lt 0 z -> Z2R (Zpos (Z.to_pos z)) = Z2R z.
Proof. by move=> z_gt0; rewrite Z2Pos.id. Qed.

Lemma pos_L u : integral_ok u -> Z.lt 0 (integral u).1.
Proof. by rewrite /integral_ok; case: (integral u) => L W /andP[/Z.ltb_lt]. Qed.

Lemma score_R : Q2R (ray_score r) = score w b x.
Proof.
have [int_w int_x _ size_x _] := ray_facts.
rewrite /score dot_rowQ // /ray_score /Q2R.
have := pos_L int_w; have := pos_L int_x.
have [Lw_gt0 _] := integral_R R int_w; have [Lx_gt0 _] := integral_R R int_x.
move: Lw_gt0 Lx_gt0; case: (integral (w_r r)) => [Lw W]; case: (integral (x_r r)) => [Lx X] /=.
move=> Lw_gt0 Lx_gt0 Lx_pos Lw_pos; rewrite /qden Z2R_to_pos; last first.
  by apply: Z.mul_pos_pos; [apply: Z.mul_pos_pos|].
rewrite !Z2R_mul !Z2R_add !Z2R_mul /qden.
by field; rewrite !lt0r_neq0 ?Z2R_pos.
Qed.

Lemma slope_R : Q2R (ray_slope r) = dot w v.
Proof.
have [int_w _ int_v _ size_v] := ray_facts.
rewrite dot_rowQ // /ray_slope /Q2R.
have := pos_L int_w; have := pos_L int_v.
move: (integral_R R int_w) (integral_R R int_v).
case: (integral (w_r r)) => [Lw W]; case: (integral (v_r r)) => [Lv V] /=.
move=> [Lw_gt0 _] [Lv_gt0 _] Lv_pos Lw_pos; rewrite /qden Z2R_to_pos; last exact: Z.mul_pos_pos.
by rewrite Z2R_mul.
Qed.

Lemma Q2R_pos q : (0 < Q2R q) = Z.ltb 0 (Qnum q).
Proof. by rewrite /Q2R pmulr_lgt0 ?invr_gt0 ?Z2R_pos // -(Z2R_0 R) Z2R_lt. Qed.
Lemma Q2R_neg q : (Q2R q < 0) = Z.ltb (Qnum q) 0.
Proof. by rewrite /Q2R pmulr_llt0 ?invr_gt0 ?Z2R_pos // -(Z2R_0 R) Z2R_lt. Qed.

(* check_exit: c >= 0 and score + c slope = 0. *)
Lemma exit_R c : check_exit r c -> 0 <= Q2R c /\ score w b x + Q2R c * dot w v = 0.
Proof.
rewrite -score_R -slope_R /check_exit /Q2R => /andP[c_ge0 /(Z2R_eqP R)].
rewrite Z2R_add !Z2R_mul Z2R_0 => eq0; split.
  by rewrite divr_ge0 ?(ltW (Z2R_pos _ _)) // -(Z2R_0 R) Z2R_le.
move: eq0; set sn := Z2R (Qnum _); set sd := Z2R (qden (ray_score r)); set cn := Z2R (Qnum c).
set cd := Z2R (qden c); set tn := Z2R (Qnum (ray_slope r)); set td := Z2R (qden (ray_slope r)) => eq0.
have [sd_n cd_n td_n] : [/\ sd != 0, cd != 0 & td != 0] by rewrite !qden_neq0.
have -> : sn / sd + cn / cd * (tn / td) = (sn * (cd * td) + cn * tn * sd) / (sd * cd * td) by field; rewrite sd_n cd_n td_n.
by rewrite eq0 mul0r.
Qed.

Theorem ray_sound :
  [/\ Q2R (ray_score r) = score w b x, Q2R (ray_slope r) = dot w v, before_plus r = linear_h w b x,
      (adversarial r = false -> forall k, 0 <= k -> linear_h w b (x + k *: v) = linear_h w b x) &
      forall c, adversarial r -> check_exit r c ->
        if before_plus r then forall k, ~~ linear_h w b (x + k *: v) = (Q2R c <= k)
        else forall k, linear_h w b (x + k *: v) = (Q2R c < k)].
Proof.
have before : before_plus r = linear_h w b x by rewrite /before_plus /linear_h -score_R Q2R_pos.
split=> [||//|not_adv k k_ge0 | c adv /exit_R [c_ge0 eq0]]; [exact: score_R | exact: slope_R | |].
  apply: ray_never => //; move: not_adv; rewrite /adversarial -before -slope_R.
  case: (before_plus r) => /negbT; first by rewrite -Q2R_neg -leNgt.
  by rewrite -Q2R_pos -leNgt.
have c_eq t : t != 0 -> score w b x + Q2R c * t = 0 -> Q2R c = - score w b x / t.
  by move=> t_n eq0'; apply: (mulIf t_n); rewrite divfK //; apply/eqP; rewrite -addr_eq0 addrC eq0'.
move: adv; rewrite /adversarial; case: (before_plus r).
  rewrite -Q2R_neg slope_R => t_lt0 k; rewrite (c_eq _ (ltr0_neq0 t_lt0) eq0).
  exact: ray_exit_down.
rewrite -Q2R_pos slope_R => t_gt0 k; rewrite (c_eq _ (lt0r_neq0 t_gt0) eq0).
exact: ray_exit_up.
Qed.

End RaySound.
