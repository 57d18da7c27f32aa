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

End Pieces.
