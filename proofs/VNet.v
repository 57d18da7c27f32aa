(* advdir-vcheck's Theorem 15 (issue 20): a two-layer R' net (relu2) on the data,
   checked over Q, with the soundness theorem that ends in Convex.theorem15.
   Rationals are kept small by a reduction that is checked, not trusted: a
   gcd computed by the extraction is used only when the reduced fraction equals
   the original (qnorm). *)
From Coq Require Import ZArith QArith_base.
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.zify Require Import ssrZ zify.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Vec Convex Regions VCheck.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.

(* ------------------------------------------------------ rationals *)

Definition qmk (n d : Z) : Q := Qmake n (Z.to_pos d).
Definition qplus (p q : Q) : Q := qmk (Z.add (Z.mul (Qnum p) (qden q)) (Z.mul (Qnum q) (qden p))) (Z.mul (qden p) (qden q)).
Definition qmult (p q : Q) : Q := qmk (Z.mul (Qnum p) (Qnum q)) (Z.mul (qden p) (qden q)).
Definition qopp (q : Q) : Q := Qmake (Z.opp (Qnum q)) (Qden q).
Definition qsub (p q : Q) : Q := qplus p (qopp q).
Definition qinv (q : Q) : Q :=
  if Z.ltb 0 (Qnum q) then qmk (qden q) (Qnum q)
  else if Z.ltb (Qnum q) 0 then qmk (Z.opp (qden q)) (Z.opp (Qnum q)) else q0.
Definition qlt (p q : Q) : bool := Z.ltb (Z.mul (Qnum p) (qden q)) (Z.mul (Qnum q) (qden p)).
Definition qmax (p q : Q) : Q := if qle p q then q else p.
Definition qrelu (q : Q) : Q := if Z.ltb 0 (Qnum q) then q else q0.
Definition qabs (q : Q) : Q := if Z.ltb (Qnum q) 0 then qopp q else q.
Definition q1 : Q := Qmake (Zpos xH) xH.
(* q over gcd(num, den), when that is the same number (checked). *)
Definition qnorm (q : Q) : Q :=
  let g := Z.gcd (Qnum q) (qden q) in
  if Z.ltb 0 g then (let r := qmk (Z.div (Qnum q) g) (Z.div (qden q) g) in if qeq r q && Z.ltb 0 (Z.div (qden q) g) then r else q)
  else q.

(* ------------------------------------------------- the net on data *)

(* f(x) = sum_j v_j relu(<u_j, x> + c_j), h(x) = +1 iff f(x) > a ("gt") or >= a ("ge"). *)
Record relu2 := Relu2 { u_n : seq (seq Q); c_n : seq Q; v_n : seq Q; a_n : Q; ge_n : bool }.

(* <u_j, X/den> + c_j for every unit, from u_j over one denominator. *)
Definition pre_units (S : dataset) (ints : seq (Z * seq Z)) (N : relu2) (row : seq Z) : seq Q :=
  map (fun p => qnorm (qmk (Z.add (Z.mul (zdot p.1.2 row) (qden p.2)) (Z.mul (Qnum p.2) (Z.mul p.1.1 (den S))))
                             (Z.mul (Z.mul p.1.1 (den S)) (qden p.2))))
      (zip ints (c_n N)).
Definition f_of (N : relu2) (pre : seq Q) : Q :=
  foldr (fun p acc => qnorm (qplus (qmult p.1 (qrelu p.2)) acc)) q0 (zip (v_n N) pre).
Definition plus (N : relu2) (f : Q) : bool := if ge_n N then qle (a_n N) f else qlt (a_n N) f.
(* K = sum_j v_j |pre_j(x) - pre_j(x_alpha)|: <u_j, x - x_alpha> with c_j cancelled. *)
Definition K_of (N : relu2) (pre pre_alpha : seq Q) : Q :=
  foldr (fun p acc => qnorm (qplus (qmult p.1 (qabs (qsub p.2.1 p.2.2))) acc)) q0 (zip (v_n N) (zip pre pre_alpha)).

Definition net_ok (S : dataset) (N : relu2) : bool :=
  let m := size (u_n N) in
  data_ok S && Nat.ltb 0 m && Nat.eqb (size (c_n N)) m && Nat.eqb (size (v_n N)) m &&
  all (fun r => integral_ok r && Nat.eqb (size r) (dim S)) (u_n N) &&
  all (fun q => Z.leb 0 (Qnum q)) (v_n N).

Definition qdiv (p q : Q) : Q := qnorm (qmult p (qinv q)).

(* The exact first exit along the direction with unit slopes beta, from the units'
   values alpha at x: walk the kinks; None when the label never changes. More than
   Theorem 15 needs (it bounds the exit by c_bound): checked, not proved. *)
Fixpoint insert_q (x : Q) (l : seq Q) : seq Q :=
  if l is y :: l' then (if qlt x y then x :: l else if qeq x y then l else y :: insert_q x l') else [:: x].
Definition kinks (alpha beta : seq Q) : seq Q :=
  foldr (fun p acc => if Z.eqb (Qnum p.2) 0 then acc
                      else let t := qdiv (qopp p.1) p.2 in if qlt q0 t then insert_q t acc else acc)
        [:: q0] (zip alpha beta).
Definition half : Q := Qmake (Zpos xH) 2.
Definition on_piece (N : relu2) (alpha beta : seq Q) (mid : Q) (pick : Q * Q -> Q) : Q :=
  foldr (fun p acc => if qlt q0 (qplus p.2.1 (qmult mid p.2.2)) then qnorm (qplus (qmult p.1 (pick p.2)) acc) else acc)
        q0 (zip (v_n N) (zip alpha beta)).
Fixpoint walk (N : relu2) (alpha beta : seq Q) (ks : seq Q) : option (Q * bool) :=
  if ks is s :: rest then
    let mid := if rest is t :: _ then qnorm (qmult (qplus s t) half) else qplus s q1 in
    let f0 := on_piece N alpha beta mid fst in
    let f1 := on_piece N alpha beta mid snd in
    if plus N (qplus f0 (qmult s f1)) then Some (s, true)
    else if qle f1 q0 then walk N alpha beta rest
    else let r := qdiv (qsub (a_n N) f0) f1 in
         if rest is t :: _ then (if qlt r t then Some (r, ge_n N) else walk N alpha beta rest) else Some (r, ge_n N)
  else None.
Definition exit_along (N : relu2) (pre slopes : seq Q) : option (Q * bool) := walk N pre slopes (kinks pre slopes).
Definition first_exit (N : relu2) (pre pre_alpha pre_beta : seq Q) : option (Q * bool) :=
  exit_along N pre (map (fun p => qsub p.1 p.2) (zip pre_beta pre_alpha)).

(* One -1 point's claims: its index, K, c_bound, c_exit, differs_at_exit. *)
Record point15 := Point15 { i_p : nat; K_p : Q; c_bound_p : Q; c_exit_p : Q; differs_p : bool }.

Fixpoint minus_points (i : nat) (ys : seq bool) : seq nat :=
  if ys is y :: ys' then (if y then minus_points i.+1 ys' else i :: minus_points i.+1 ys') else [::].
Fixpoint same_nats (l l' : seq nat) : bool :=
  match l, l' with
  | a :: t, b :: t' => Nat.eqb a b && same_nats t t'
  | [::], [::] => true
  | _, _ => false
  end.

(* One listed point with its units' values pre_x: K, c_bound, the exact c_exit and
   c_exit <= c_bound, from x_alpha's and x_beta's values, f(x_alpha) and D. *)
Definition check_point (N : relu2) (pre_x pre_a pre_b : seq Q) (fa Dc : Q) (p : point15) : bool :=
  let Kc := K_of N pre_x pre_a in
  let cb := qmax q1 (qdiv (qplus (qsub (a_n N) fa) Kc) Dc) in
  qeq (K_p p) Kc && qeq (c_bound_p p) cb && qle (c_exit_p p) (c_bound_p p) &&
  (if first_exit N pre_x pre_a pre_b is Some (r, dx) then qeq (c_exit_p p) r && Bool.eqb (differs_p p) dx else false).

Definition pres_of (S : dataset) (N : relu2) : seq (seq Q) := map (pre_units S (map integral (u_n N)) N) (rows S).

(* Theorem 15 for one relu2 net N on S: R' (every v_j >= 0), S-accurate, x_alpha a -1
   point and x_beta a +1 point, D = f(x_beta) - f(x_alpha), and for every -1 point of
   S, in order, its K, c_bound, exact c_exit and c_exit <= c_bound. *)
Definition check_15_at (S : dataset) (N : relu2) (pres : seq (seq Q)) (ia ib : nat) (D : Q) (pts : seq point15) : bool :=
  let pre i := nth [::] pres i in
  let fa := f_of N (pre ia) in
  let Dc := qsub (f_of N (pre ib)) fa in
  net_ok S N && Nat.ltb ia (size (rows S)) && Nat.ltb ib (size (rows S)) &&
  ~~ nth false (labs S) ia && nth false (labs S) ib &&
  all (fun p => Bool.eqb (plus N (f_of N p.2)) p.1) (zip (labs S) pres) &&
  qeq D Dc && same_nats (map i_p pts) (minus_points 0 (labs S)) &&
  all (fun p => Nat.ltb (i_p p) (size (rows S)) && check_point N (pre (i_p p)) (pre ia) (pre ib) fa Dc p) pts.
Definition check_15 (S : dataset) (N : relu2) := check_15_at S N (pres_of S N).

(* A test set T: its -1 points the net labels -1 (covered) and +1 (misclassified), in order. *)
Fixpoint split_test (N : relu2) (ys : seq bool) (pres : seq (seq Q)) (i : nat) : seq nat * seq nat :=
  match ys, pres with
  | y :: ys', p :: ps' =>
      let r := split_test N ys' ps' i.+1 in
      if y then r else if plus N (f_of N p) then (r.1, i :: r.2) else (i :: r.1, r.2)
  | _, _ => ([::], [::])
  end.

(* Theorem 15 at the test set's -1 points the net labels -1, with S's x_alpha and x_beta;
   the others listed as misclassified. pres and tpres: pres_of S N and pres_of T N,
   computed once by the caller. *)
Definition check_test (S T : dataset) (N : relu2) (pres tpres : seq (seq Q)) (ia ib : nat) (tps : seq point15) (tmis : seq nat) : bool :=
  let fa := f_of N (nth [::] pres ia) in
  let Dc := qsub (f_of N (nth [::] pres ib)) fa in
  let split := split_test N (labs T) tpres 0 in
  data_ok T && Nat.eqb (dim T) (dim S) &&
  same_nats (map i_p tps) split.1 && same_nats tmis split.2 &&
  all (fun p => Nat.ltb (i_p p) (size (rows T)) &&
                check_point N (nth [::] tpres (i_p p)) (nth [::] pres ia) (nth [::] pres ib) fa Dc p) tps.

(* Section 6 in practice: S's max-margin separator (check_sep), and every listed
   point's exact first exit along w* (or that there is none). *)
Definition check_max_margin (S : dataset) (N : relu2) (c : sep) (exits : seq (option (Q * bool))) (xs : seq (seq Q)) : bool :=
  let (Lw, W) := integral (w_s c) in
  let along := map (fun p => qnorm (qmk (zdot p.2 W) (Z.mul p.1 Lw))) (map integral (u_n N)) in
  check_sep S c && Nat.eqb (size exits) (size xs) &&
  all (fun p => match exit_along N p.2 along, p.1 with
                | None, None => true
                | Some (r, dx), Some (e, dx') => qeq e r && Bool.eqb dx dx'
                | _, _ => false
                end) (zip exits xs).

(* ------------------------------------------------------ soundness *)

Local Open Scope ring_scope.

Section Rationals.
Variable R : realFieldType.
Local Notation Q2R := (@Q2R R).
Local Notation Z2R := (@Z2R R).

Lemma Q2R_qmk n d : Z.lt 0 d -> Q2R (qmk n d) = Z2R n / Z2R d.
Proof. by move=> d_gt0; rewrite /Q2R /qmk /qden /= Z2Pos.id. Qed.

Lemma qden_pos q : Z.lt 0 (qden q).
Proof. by []. Qed.

Lemma den_prod p q : Z.lt 0 (Z.mul (qden p) (qden q)).
Proof. exact: Z.mul_pos_pos. Qed.

Lemma Q2R_plus p q : Q2R (qplus p q) = Q2R p + Q2R q.
Proof.
rewrite /qplus Q2R_qmk ?den_prod // Z2R_add !Z2R_mul /Q2R.
by field; rewrite !qden_neq0.
Qed.

Lemma Q2R_mult p q : Q2R (qmult p q) = Q2R p * Q2R q.
Proof.
rewrite /qmult Q2R_qmk ?den_prod // !Z2R_mul /Q2R.
by field; rewrite !qden_neq0.
Qed.

Lemma Z2R_opp z : Z2R (Z.opp z) = - Z2R z.
Proof.
apply/eqP; rewrite -subr_eq0 opprK -Z2R_add.
by have -> : Z.add (Z.opp z) z = Z0 by lia.
Qed.

Lemma Q2R_opp q : Q2R (qopp q) = - Q2R q.
Proof. by rewrite /qopp /Q2R /= Z2R_opp mulNr. Qed.

Lemma Q2R_sub p q : Q2R (qsub p q) = Q2R p - Q2R q.
Proof. by rewrite /qsub Q2R_plus Q2R_opp. Qed.

Lemma Q2R_q0 : Q2R q0 = 0. Proof. by rewrite /Q2R /= mul0r. Qed.
Lemma Q2R_q1 : Q2R q1 = 1. Proof. by rewrite /Q2R /= divr1. Qed.

Lemma Q2R_norm q : Q2R (qnorm q) = Q2R q.
Proof.
rewrite /qnorm; case: ifP => // _; case: ifP => // /andP[same _].
by rewrite (qeq_R R same).
Qed.

Lemma Q2R_inv q : Q2R (qinv q) = (Q2R q)^-1.
Proof.
rewrite /qinv; case: ifP => [/Z.ltb_lt pos | /Z.ltb_ge nonpos].
  by rewrite Q2R_qmk // /Q2R invf_div.
case: ifP => [/Z.ltb_lt neg | /Z.ltb_ge nonneg].
  rewrite Q2R_qmk; last by lia.
  by rewrite !Z2R_opp /Q2R invf_div invrN mulrN mulNr opprK.
rewrite Q2R_q0 /Q2R; have -> : Qnum q = Z0 by lia.
by rewrite Z2R_0 mul0r invr0.
Qed.

Lemma Q2R_div p q : Q2R (qdiv p q) = Q2R p / Q2R q.
Proof. by rewrite /qdiv Q2R_norm Q2R_mult Q2R_inv. Qed.

Lemma qle_eq p q : qle p q = (Q2R p <= Q2R q).
Proof.
rewrite /qle -(Z2R_le R) !Z2R_mul /Q2R.
by rewrite ler_pdivr_mulr ?Z2R_pos // mulrAC ler_pdivl_mulr ?Z2R_pos.
Qed.

Lemma qlt_eq p q : qlt p q = (Q2R p < Q2R q).
Proof.
rewrite /qlt -(Z2R_lt R) !Z2R_mul /Q2R.
by rewrite ltr_pdivr_mulr ?Z2R_pos // mulrAC ltr_pdivl_mulr ?Z2R_pos.
Qed.

Lemma Q2R_max p q : Q2R (qmax p q) = Num.max (Q2R p) (Q2R q).
Proof. by rewrite /qmax qle_eq; case: leP. Qed.

Lemma Q2R_pos' q : (0 < Q2R q) = Z.ltb 0 (Qnum q).
Proof. by rewrite /Q2R pmulr_lgt0 ?invr_gt0 ?Z2R_pos // -(Z2R_0 R) Z2R_lt. Qed.

Lemma Q2R_relu q : Q2R (qrelu q) = relu (Q2R q).
Proof.
rewrite /qrelu -Q2R_pos'; case: ltP => [pos | nonpos]; first by rewrite relu_gt0.
by rewrite Q2R_q0 relu_le0.
Qed.

Lemma Q2R_abs q : Q2R (qabs q) = `|Q2R q|.
Proof.
rewrite /qabs; case: ifP => [/Z.ltb_lt neg | /Z.ltb_ge nonneg].
  rewrite Q2R_opp ltr0_norm //; rewrite /Q2R pmulr_llt0 ?invr_gt0 ?Z2R_pos // -(Z2R_0 R) Z2R_lt.
  exact/Z.ltb_lt.
rewrite ger0_norm // /Q2R divr_ge0 ?(ltW (Z2R_pos _ _)) // -(Z2R_0 R) Z2R_le.
exact/Z.leb_le.
Qed.

(* A sum of rationals, reduced as it goes, is the sum of their values. *)
Lemma Q2R_foldr (T : Type) (g : T -> Q) (l : seq T) :
  Q2R (foldr (fun p acc => qnorm (qplus (g p) acc)) q0 l) = \sum_(p <- l) Q2R (g p).
Proof. by elim: l => [|p l IH]; rewrite ?big_nil ?big_cons ?Q2R_q0 //= Q2R_norm Q2R_plus IH. Qed.

End Rationals.

Section Theorem15.
Variables (R : realFieldType) (S : dataset) (N : relu2).
Hypothesis ok : net_ok S N.
Local Notation n := (size (rows S)).
Local Notation d := (dim S).
Local Notation m := (size (u_n N)).
Local Notation Q2R := (@Q2R R).
Local Notation Z2R := (@Z2R R).

(* The net of Convex.v the certificate's numbers denote. *)
Definition netR : @Convex.net R d :=
  Convex.Net m (fun j : 'I_m => vR R S (nth [::] (u_n N) j)) (fun j => Q2R (nth q0 (c_n N) j))
             (fun j => Q2R (nth q0 (v_n N) j)) (Q2R (a_n N)) (ge_n N).

Lemma net_facts : [/\ data_ok S, size (c_n N) = m, size (v_n N) = m,
  forall j, (j < m)%N -> integral_ok (nth [::] (u_n N) j) /\ size (nth [::] (u_n N) j) = d &
  forall j, 0 <= v netR j].
Proof.
move: ok; rewrite /net_ok => /andP[/andP[/andP[/andP[/andP[data _] /nat_eqb c_m] /nat_eqb v_m] rows_ok] v_ok].
split=> // [j lt_j | j]; first by have /andP[-> /nat_eqb ->] := nth_all [::] rows_ok lt_j.
rewrite /= /Q2R divr_ge0 ?(ltW (Z2R_pos _ _)) // -(Z2R_0 R) Z2R_le.
by apply: nth_all v_ok _; rewrite v_m.
Qed.

Local Notation pres := (pres_of S N).

Lemma pre_R (i : 'I_n) (j : 'I_m) :
  Q2R (nth q0 (nth [::] pres i) j) = Convex.pre netR j (xR R i).
Proof.
have [data c_m v_m rows_ok _] := net_facts; have [int_j size_j] := rows_ok j (ltn_ord j).
have [L_gt0 _] := integral_R R int_j.
rewrite /pres_of (nth_map [::]) // /pre_units (nth_map ((Zpos xH, [::]), q0)); last first.
  by rewrite size_zip size_map c_m minnn.
rewrite nth_zip ?size_map ?c_m // (nth_map [::]) //= Q2R_norm Q2R_qmk; last first.
  apply: Z.mul_pos_pos => //; apply: Z.mul_pos_pos; first by apply/Z.ltb_lt; rewrite -(Z2R_lt R) Z2R_0.
  by move: data => /andP[/andP[/Z.ltb_lt]].
rewrite /Convex.pre /= dot_xR //.
move: L_gt0; rewrite Z2R_add !Z2R_mul /Q2R /integral /= => L_gt0.
by field; rewrite !lt0r_neq0 ?den_gt0 ?Z2R_pos.
Qed.

Lemma size_pres (i : 'I_n) : size (nth [::] pres i) = m.
Proof.
have [_ c_m _ _ _] := net_facts.
by rewrite /pres_of (nth_map [::]) // size_map size_zip size_map c_m minnn.
Qed.

Lemma f_R (i : 'I_n) : Q2R (f_of N (nth [::] pres i)) = Convex.f netR (xR R i).
Proof.
have [_ _ v_m _ _] := net_facts.
rewrite /f_of Q2R_foldr (sum_zip q0 q0) ?size_pres // v_m.
by apply: eq_bigr => j _; rewrite Q2R_mult Q2R_relu pre_R.
Qed.

Lemma plus_R (i : 'I_n) : plus N (f_of N (nth [::] pres i)) = Convex.h netR (xR R i).
Proof. by rewrite /plus /Convex.h /=; case: (ge_n N); rewrite ?(qle_eq R) ?(qlt_eq R) f_R. Qed.

Lemma K_R (i a : 'I_n) :
  Q2R (K_of N (nth [::] pres i) (nth [::] pres a)) = \sum_j v netR j * `|dot (u netR j) (xR R i - xR R a)|.
Proof.
have [_ _ v_m _ _] := net_facts.
rewrite /K_of Q2R_foldr (sum_zip q0 (q0, q0)) ?size_zip ?size_pres ?minnn // v_m.
apply: eq_bigr => j _; rewrite nth_zip ?size_pres // Q2R_mult Q2R_abs Q2R_sub !pre_R.
by rewrite /Convex.pre (dotB_affine _ (c netR j)).
Qed.

Lemma all_In (T : Type) (P : pred T) s x : all P s -> List.In x s -> P x.
Proof. by elim: s => //= y s IH /andP[Py all_s] [<- | /IH]; [| apply]. Qed.

(* Theorem 15 for every listed -1 point: past its c_bound (at it, under "ge"), the
   point moved along x_beta - x_alpha is labelled +1 by the net (Convex.theorem15). *)
Theorem theorem15_sound ia ib D pts : check_15 S N ia ib D pts ->
  forall p, List.In p pts ->
  exists i xa xb : 'I_n, [/\ nat_of_ord i = i_p p, nat_of_ord xa = ia, nat_of_ord xb = ib,
    Q2R D = Convex.f netR (xR R xb) - Convex.f netR (xR R xa) &
    forall k, (if ge_n N then Q2R (c_bound_p p) <= k else Q2R (c_bound_p p) < k) ->
      Convex.h netR (xR R i + k *: (xR R xb - xR R xa))].
Proof.
rewrite /check_15 /check_15_at; cbv zeta.
case/andP=> /andP[/andP[/andP[/andP[/andP[/andP[/andP[_ /PeanoNat.Nat.ltb_spec0/ssrnat.ltP lt_a]
  /PeanoNat.Nat.ltb_spec0/ssrnat.ltP lt_b] y_a] y_b] acc] D_ok] _] all_p p in_p.
have [data c_m v_m rows_ok v_ge0] := net_facts.
have := all_In all_p in_p; cbv beta.
case/andP=> /PeanoNat.Nat.ltb_spec0/ssrnat.ltP lt_i; rewrite /check_point.
case/andP=> /andP[/andP[K_ok cb_ok] _] _.
pose i := Ordinal lt_i; pose xa := Ordinal lt_a; pose xb := Ordinal lt_b.
have size_zip_pres : size (labs S) = size pres by rewrite /pres_of size_map labs_size.
have label (j : 'I_n) : Convex.h netR (xR R j) = nth false (labs S) j.
  have lt_j : (j < size (labs S))%N by rewrite labs_size.
  move: (all_zip_nth false [::] size_zip_pres acc lt_j) => /Bool.eqb_prop eq.
  by rewrite -plus_R; exact: eq.
have D_R : Q2R D = Convex.f netR (xR R xb) - Convex.f netR (xR R xa).
  by rewrite (qeq_R R D_ok) Q2R_sub -!f_R.
exists i, xa, xb; split=> // k past.
have alpha_minus : ~~ Convex.h netR (xR R xa) by rewrite label.
have beta_plus : Convex.h netR (xR R xb) by rewrite label.
have K_def : Q2R (K_p p) = \sum_j v netR j * `|dot (u netR j) (xR R i - xR R xa)|.
  by rewrite (qeq_R R K_ok) -K_R.
have cb_def : Q2R (c_bound_p p) = Num.max 1 ((a netR - Convex.f netR (xR R xa) + Q2R (K_p p)) / Q2R D).
  rewrite (qeq_R R cb_ok) Q2R_max Q2R_q1 Q2R_div Q2R_plus Q2R_sub D_R (qeq_R R K_ok).
  by rewrite /= -f_R (Q2R_sub R) -!f_R.
have D_def : Q2R D = Convex.f netR (xR R xb) - Convex.f netR (xR R xa) := D_R.
pose C := Theorem15Cert netR (xR R i) (xR R xa) (xR R xb) alpha_minus beta_plus _ K_def _ D_def _ cb_def.
exact: theorem15 netR (xR R i) C k v_ge0 past.
Qed.

End Theorem15.
