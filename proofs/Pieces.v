(* The ray certificate of a ReLU net of any depth (kinds relu_sum, relu2,
   relu_and, mlp; Theorem 11's per-point claims): along x + c v, a piece
   [s, t] (or [s, oo)) with an activation pattern whose every hidden unit has
   the pattern's sign at both ends (for an unbounded piece: at s and in its
   slope) has the net equal, on the whole piece, to the patterned affine map;
   so the outputs are affine in c there, and a sign at both ends of an output
   difference is its sign on the piece (PROOFS.md, "Ray restriction"). *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Convex Regions.

Unset Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Pieces.
Variable R : realFieldType.
Implicit Types (s c : R) (t : option R).

(* c lies in the piece [s, t] ([s, oo) when t = None). *)
Definition in_piece c s t := s <= c /\ (if t is Some e then c <= e else True).

(* The pattern's sign of g(c) = g0 + c g1 at both ends of the piece: bit true
   means >= 0, false means <= 0 (the checker's patterned_outputs). *)
Definition end_ge0 (g0 g1 : R) t : bool := if t is Some e then 0 <= g0 + e * g1 else 0 <= g1.

Definition ends_ok (bit : bool) (g0 g1 s : R) t :=
  if bit then 0 <= g0 + s * g1 /\ end_ge0 g0 g1 t
  else 0 <= - g0 + s * - g1 /\ end_ge0 (- g0) (- g1) t.

(* An affine function of c that is >= 0 at both ends of a piece is >= 0 on it. *)
Lemma affine_between g0 g1 s t c : in_piece c s t ->
  0 <= g0 + s * g1 -> end_ge0 g0 g1 t -> 0 <= g0 + c * g1.
Proof.
case=> s_le; case: t => [e|] c_le start finish.
  have [g1_ge0 | g1_lt0] := leP 0 g1.
    by apply: le_trans start _; rewrite ler_add2l ler_wpmul2r.
  by apply: le_trans finish _; rewrite ler_add2l ler_wnmul2r // ltW.
by apply: le_trans start _; rewrite ler_add2l ler_wpmul2r.
Qed.

Lemma relu_on_piece bit g0 g1 s t c : in_piece c s t -> ends_ok bit g0 g1 s t ->
  relu (g0 + c * g1) = if bit then g0 + c * g1 else 0.
Proof.
move=> piece; rewrite /ends_ok; case: bit => [] [start finish].
  by rewrite /relu max_r // (affine_between g0 g1 s t c piece start finish).
apply: relu_le0; rewrite -oppr_ge0 opprD -mulrN.
exact: (affine_between (- g0) (- g1) s t c piece).
Qed.

(* A max-pooling window on a piece (the checker's window check, lib/check/src/net.cpp):
   when the claimed cell w is at least every other cell j of the window at both ends
   of the piece (val w - val j + c (slope w - slope j) >= 0 there), it is the largest
   on all of the piece, so the window's maximum is w's value, affine in c. *)
Lemma window_on_piece (cells : seq nat) (val slope : nat -> R) w s t c : in_piece c s t ->
  (forall j, j \in cells -> 0 <= (val w - val j) + s * (slope w - slope j) /\
                            end_ge0 (val w - val j) (slope w - slope j) t) ->
  \big[Num.max/(val w + c * slope w)]_(j <- cells) (val j + c * slope j) = val w + c * slope w.
Proof.
move=> piece; elim: cells => [|j cells IH] ends; first by rewrite big_nil.
rewrite big_cons IH => [|k k_in]; last by apply: ends; rewrite inE k_in orbT.
have [start finish] := ends j (mem_head j cells).
apply: max_r; rewrite -subr_ge0.
have -> : val w + c * slope w - (val j + c * slope j) = (val w - val j) + c * (slope w - slope j) by ring.
exact: affine_between _ _ s t c piece start finish.
Qed.

(* A layer: rows x cols weights and rows biases. *)
Record layer := Layer { rows : nat; cols : nat; W : nat -> nat -> R; b : nat -> R }.

Definition lin (L : layer) (y : nat -> R) r := \sum_(k < cols L) W L r k * y k.
Definition aff (L : layer) (y : nat -> R) r := lin L y r + b L r.
Definition relu_all (y : nat -> R) r := relu (y r).

(* The hidden layers (a ReLU after each); the output layer is applied after. *)
Fixpoint hidden (Ls : seq layer) (y : nat -> R) : nat -> R :=
  if Ls is L :: Ls' then hidden Ls' (relu_all (aff L y)) else y.

Definition outputs (Ls : seq layer) (O : layer) (y : nat -> R) := aff O (hidden Ls y).

(* The net's dimensions chain: n inputs, each layer reads its predecessor's rows. *)
Fixpoint chain (n : nat) (Ls : seq layer) (O : layer) : Prop :=
  if Ls is L :: Ls' then cols L = n /\ chain (rows L) Ls' O else cols O = n.

Definition ray (x v : nat -> R) c k := x k + c * v k.

(* The patterned net along the ray, as a value and a slope per unit: a unit
   whose bit is false is 0, the others are the layer's affine map. *)
Definition mask (p : nat -> bool) (y : nat -> R) r := if p r then y r else 0.

Fixpoint patterned (Ls : seq layer) (P : seq (nat -> bool)) (val slope : nat -> R) : (nat -> R) * (nat -> R) :=
  match Ls, P with
  | L :: Ls', p :: P' => patterned Ls' P' (mask p (aff L val)) (mask p (lin L slope))
  | _, _ => (val, slope)
  end.

(* The certificate's hypothesis on one piece: the pattern has one bit string
   per hidden layer, and each unit has its bit's sign at both ends. *)
Fixpoint pattern_holds (Ls : seq layer) (P : seq (nat -> bool)) (val slope : nat -> R) s t : Prop :=
  match Ls, P with
  | L :: Ls', p :: P' =>
      (forall r, (r < rows L)%N -> ends_ok (p r) (aff L val r) (lin L slope r) s t) /\
      pattern_holds Ls' P' (mask p (aff L val)) (mask p (lin L slope)) s t
  | [::], [::] => True
  | _, _ => False
  end.

Lemma lin_ray L (val slope : nat -> R) (y : nat -> R) c :
  (forall k, (k < cols L)%N -> y k = val k + c * slope k) ->
  forall r, aff L y r = aff L val r + c * lin L slope r.
Proof.
move=> eq_y r; rewrite /aff /lin mulr_sumr addrAC -big_split /=; congr (_ + _).
by apply: eq_bigr => k _; rewrite eq_y // mulrDr mulrCA.
Qed.

(* On the piece, the hidden layers' output is the patterned value + c slope. *)
Lemma hidden_on_piece n Ls O P (val slope y : nat -> R) s t c :
  chain n Ls O -> pattern_holds Ls P val slope s t -> in_piece c s t ->
  (forall k, (k < n)%N -> y k = val k + c * slope k) ->
  forall k, (k < cols O)%N -> hidden Ls y k = (patterned Ls P val slope).1 k + c * (patterned Ls P val slope).2 k.
Proof.
elim: Ls P n val slope y => [|L Ls IH] [|p P] n val slope y //= ch holds piece eq_y.
  by move=> k; rewrite ch; apply: eq_y.
case: ch holds => cols_L ch [signs rest].
apply: (IH P (rows L)) => // r r_lt; rewrite /relu_all /mask.
rewrite (lin_ray L val slope y c) => [|k]; last by rewrite cols_L; apply: eq_y.
rewrite (relu_on_piece (p r) _ _ s t) //; last exact: signs.
by case: (p r) => //; rewrite mulr0 addr0.
Qed.

(* The ray certificate's piece theorem: the net's outputs at x + c v, for
   every c of the piece, are o0 + c o1 with (o0, o1) the patterned outputs. *)
Theorem ray_piece n Ls O P (x v : nat -> R) s t c :
  chain n Ls O -> pattern_holds Ls P x v s t -> in_piece c s t ->
  forall r, outputs Ls O (ray x v c) r =
            aff O (patterned Ls P x v).1 r + c * lin O (patterned Ls P x v).2 r.
Proof.
move=> ch holds piece; apply: lin_ray.
by apply: (hidden_on_piece n Ls O P x v (ray x v c) s t c) => // k _.
Qed.

(* The label's conditions on a piece [s, t) (the checker's holds_on): an
   affine output difference g(c) = g0 + c g1 that is > 0 (or >= 0) at s and
   >= 0 at t (or has slope >= 0 when the piece is unbounded) keeps that sign
   on the whole piece; so the label, decided by such differences (o_0 - a for
   relu_sum and relu2, o_m for relu_and, o_k - o_m for an argmax), is the same
   at every c of the piece before its end. *)
Lemma holds_on_strict (g0 g1 : R) s t c : s <= c -> (if t is Some e then c < e else true) ->
  0 < g0 + s * g1 -> end_ge0 g0 g1 t -> 0 < g0 + c * g1.
Proof.
move=> s_le; case: t => [e|] c_lt start finish.
  have [g1_ge0 | g1_lt0] := leP 0 g1.
    by apply: lt_le_trans start _; rewrite ler_add2l ler_wpmul2r.
  by apply: le_lt_trans finish _; rewrite ltr_add2l ltr_nmul2r.
by apply: lt_le_trans start _; rewrite ler_add2l ler_wpmul2r.
Qed.

Lemma holds_on g0 g1 s t c : in_piece c s t -> 0 <= g0 + s * g1 -> end_ge0 g0 g1 t -> 0 <= g0 + c * g1.
Proof. exact: affine_between. Qed.

(* Just past a point t0 (the checker's label_along with right = true): each unit is
   on when its input is positive at t0, or zero at t0 and rising; the lexicographic
   sign of (value at t0, slope). *)
Definition lex_pos (g0 g1 : R) : bool := (0 < g0) || ((g0 == 0) && (0 < g1)).

(* For one unit there is a piece [t0, t0 + e] on which its lexicographic bit holds. *)
Lemma right_unit_at (V g1 : R) : exists2 e, 0 < e & forall eps, 0 < eps <= e ->
  if lex_pos V g1 then 0 <= V /\ 0 <= V + eps * g1 else 0 <= - V /\ 0 <= - (V + eps * g1).
Proof.
rewrite /lex_pos; have [V_gt0 | V_le0] := ltP 0 V => /=.
  (* positive at t0: stays >= 0 while eps |g1| <= V *)
  exists (if g1 < 0 then V / - g1 else 1).
    by case: ifP => g1_lt0; [apply: divr_gt0; rewrite ?oppr_gt0 | exact: ltr01].
  move=> eps /andP [eps_gt0 eps_le]; split; first exact: ltW.
  have [g1_lt0 | g1_ge0] := ltP g1 0; last by apply: addr_ge0; [exact: ltW | exact: mulr_ge0 (ltW eps_gt0) g1_ge0].
  move: eps_le; rewrite g1_lt0 ler_pdivl_mulr ?oppr_gt0 // mulrN => le.
  by rewrite -subr_ge0 opprK in le.
have [V0 | V_lt0] := eqVneq V 0.
  (* zero at t0: the slope's sign *)
  rewrite V0 /=; exists 1; first exact: ltr01.
  move=> eps /andP [eps_gt0 _]; rewrite !add0r oppr0.
  have [g1_gt0 | g1_le0] := ltP 0 g1.
    by split; [exact: lexx | exact: mulr_ge0 (ltW eps_gt0) (ltW g1_gt0)].
  by split; [exact: lexx | rewrite oppr_ge0; exact: mulr_ge0_le0 (ltW eps_gt0) g1_le0].
(* negative at t0: stays <= 0 while eps g1 <= -V *)
have V_neg : V < 0 by rewrite lt_neqAle V_lt0 V_le0.
rewrite /=.
exists (if 0 < g1 then - V / g1 else 1).
  by case: ifP => g1_gt0; [apply: divr_gt0; rewrite ?oppr_gt0 | exact: ltr01].
move=> eps /andP [eps_gt0 eps_le]; rewrite !oppr_ge0; split; first exact: ltW.
have [g1_gt0 | g1_le0] := ltP 0 g1.
  move: eps_le; rewrite g1_gt0 ler_pdivl_mulr // => le.
  by rewrite -(ler_add2l V) subrr in le.
rewrite -[X in _ <= X]addr0; apply: ler_add; first exact: ltW.
exact: mulr_ge0_le0 (ltW eps_gt0) g1_le0.
Qed.

Lemma right_unit (g0 g1 t0 : R) : exists2 e, 0 < e & forall eps, 0 < eps <= e ->
  ends_ok (lex_pos (g0 + t0 * g1) g1) g0 g1 t0 (Some (t0 + eps)).
Proof.
have [e e_gt0 H] := right_unit_at (g0 + t0 * g1) g1; exists e => // eps epsP; have := H eps epsP.
have at_end : g0 + (t0 + eps) * g1 = (g0 + t0 * g1) + eps * g1 by rewrite mulrDl addrA.
have at_endN : - g0 + (t0 + eps) * - g1 = - ((g0 + t0 * g1) + eps * g1) by rewrite !mulrN mulrDl; ring.
have startN : - g0 + t0 * - g1 = - (g0 + t0 * g1) by rewrite mulrN; ring.
by rewrite /ends_ok /end_ge0 at_end at_endN startN.
Qed.

(* Finitely many units: the least of their pieces. *)
Lemma right_units (n : nat) (Q : nat -> R -> Prop) :
  (forall r, (r < n)%N -> exists2 e, 0 < e & forall eps, 0 < eps <= e -> Q r eps) ->
  exists2 e, 0 < e & forall eps, 0 < eps <= e -> forall r, (r < n)%N -> Q r eps.
Proof.
elim: n => [|n IH] each; first by exists 1; [exact: ltr01 | move=> eps _ r].
have [e1 e1_gt0 H1] := IH (fun r r_lt => each r (ltnW r_lt)).
have [e2 e2_gt0 H2] := each n (ltnSn n).
exists (Num.min e1 e2); first by rewrite lt_minr e1_gt0 e2_gt0.
move=> eps /andP [eps_gt0]; rewrite le_minr => /andP [le1 le2] r; rewrite ltnS leq_eqVlt.
case/orP => [/eqP -> | r_lt]; first by apply: H2; rewrite eps_gt0.
by apply: H1 => //; rewrite eps_gt0.
Qed.

(* The pattern of lexicographic bits just past t0, layer by layer. *)
Fixpoint lex_pattern (Ls : seq layer) (val slope : nat -> R) (t0 : R) : seq (nat -> bool) :=
  if Ls is L :: Ls' then
    let p := fun r => lex_pos (aff L val r + t0 * lin L slope r) (lin L slope r) in
    p :: lex_pattern Ls' (mask p (aff L val)) (mask p (lin L slope)) t0
  else [::].

(* The right-limit rule is sound: the lexicographic pattern holds on some piece
   [t0, t0 + e], so just past t0 the net is that patterned affine map (ray_piece). *)
Theorem right_pattern (Ls : seq layer) (val slope : nat -> R) (t0 : R) : exists2 e, 0 < e & forall eps, 0 < eps <= e ->
  pattern_holds Ls (lex_pattern Ls val slope t0) val slope t0 (Some (t0 + eps)).
Proof.
elim: Ls val slope => [|L Ls IH] val slope /=; first by exists 1; [exact: ltr01 | ].
pose p := fun r => lex_pos (aff L val r + t0 * lin L slope r) (lin L slope r).
have [e1 e1_gt0 H1] := right_units (rows L) (fun r eps => ends_ok (p r) (aff L val r) (lin L slope r) t0 (Some (t0 + eps)))
  (fun r _ => right_unit (aff L val r) (lin L slope r) t0).
have [e2 e2_gt0 H2] := IH (mask p (aff L val)) (mask p (lin L slope)).
exists (Num.min e1 e2); first by rewrite lt_minr e1_gt0 e2_gt0.
move=> eps /andP [eps_gt0]; rewrite le_minr => /andP [le1 le2]; split.
  by apply: H1; rewrite eps_gt0.
by apply: H2; rewrite eps_gt0.
Qed.

(* An output difference that is lexicographically positive at t0 is positive just
   past t0; one that is not is <= 0 there. So the label just past c_exit is the one
   the checker computes from (value, slope) pairs. *)
Lemma right_sign (g0 g1 t0 : R) : exists2 e, 0 < e & forall c, t0 < c <= t0 + e ->
  (lex_pos (g0 + t0 * g1) g1 -> 0 < g0 + c * g1) /\ (~~ lex_pos (g0 + t0 * g1) g1 -> g0 + c * g1 <= 0).
Proof.
have [e e_gt0 H] := right_unit_at (g0 + t0 * g1) g1.
have half_gt0 : 0 < e / 2 by rewrite divr_gt0 ?ltr0n.
have half_lt : e / 2 < e by rewrite ltr_pdivr_mulr ?ltr0n // mulr_natr mulr2n ltr_addr.
exists (e / 2) => // c /andP [t_lt c_le].
have at_c : g0 + c * g1 = (g0 + t0 * g1) + (c - t0) * g1 by rewrite mulrBl; ring.
have eps_gt0 : 0 < c - t0 by rewrite subr_gt0.
have eps_lt : c - t0 < e by apply: le_lt_trans half_lt; rewrite ler_subl_addl.
rewrite at_c; move: (g0 + t0 * g1) H => V H; split => [bit | /negbTE bit].
  move: (bit); rewrite /lex_pos => /orP [V_gt0 | /andP [/eqP V0 g1_gt0]]; last by rewrite V0 add0r mulr_gt0.
  have [g1_lt0 | g1_ge0] := ltP g1 0; last by apply: ltr_paddr; [exact: mulr_ge0 (ltW eps_gt0) g1_ge0 | ].
  have [_ at_e] : 0 <= V /\ 0 <= V + e * g1 by have := H e; rewrite bit lexx e_gt0; apply.
  by apply: le_lt_trans at_e _; rewrite ltr_add2l ltr_nmul2r.
have := H (c - t0); rewrite bit eps_gt0 (ltW eps_lt) => /(_ isT) [_].
by rewrite oppr_ge0.
Qed.

End Pieces.
