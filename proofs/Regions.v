(* The convexity certificates of Theorem 11 beyond Lemma 14 (Lemma 13 for R,
   the mirrored Lemma 14, R''), and Section 6's general construction with its
   Farkas branch (PROOFS.md, "Convex regions" and "Section 6 in general"). *)
From mathcomp Require Import all_ssreflect all_algebra.
From mathcomp.algebra_tactics Require Import ring.
From Advdir Require Import Vec Convex.

Unset Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.
Local Open Scope ring_scope.

Section Regions.
Context {R : realFieldType} {d : nat}.
Notation vec := 'rV[R]_d.
Implicit Types (N : @net R d).

Lemma relu_le0 (t : R) : t <= 0 -> relu t = 0.
Proof. by move=> t_le0; rewrite /relu max_l. Qed.

Lemma relu_gt0 (t : R) : 0 < t -> relu t = t.
Proof. by move=> t_gt0; rewrite /relu max_r // ltW. Qed.

(* Lemma 13 (the class R, kind relu_sum): every v_j = 1, a = 0, rule "gt".
   The -1 region is {x : every <u_j,x> + c_j <= 0}, an intersection of
   half-spaces, hence convex. *)
Lemma lemma13_region N x : (forall j, v N j = 1) -> a N = 0 -> ge N = false ->
  ~~ h N x = [forall j, pre N j x <= 0].
Proof.
move=> v1 a0 gt; rewrite /h gt a0 -leNgt /f.
apply/idP/forallP => [sum_le0 j | all_le0].
  rewrite leNgt; apply/negP => pos; move: sum_le0; apply/negP; rewrite -ltNge.
  rewrite (bigD1 j) //= v1 mul1r relu_gt0 // ltr_paddr //.
  by apply: sumr_ge0 => i _; rewrite v1 mul1r relu_ge0.
by rewrite big1 // => j _; rewrite v1 mul1r relu_le0.
Qed.

Lemma lemma13 N : (forall j, v N j = 1) -> a N = 0 -> ge N = false -> convex (fun x => ~~ h N x).
Proof. by move=> v1 _ _; apply: lemma14 => j; rewrite v1 ler01. Qed.

(* The mirrored Lemma 14 (lemma14_mirrored): with every v_j <= 0, f is
   concave, so the +1 region is convex. The net with -v, -a and the other
   rule has -f as its function and the complement of h as its label. *)
Definition mirror N := Net (width N) (u N) (c N) (fun j => - v N j) (- a N) (~~ ge N).

Lemma f_mirror N x : f (mirror N) x = - f N x.
Proof. by rewrite /f /= -sumrN; apply: eq_bigr => j _; rewrite mulNr. Qed.

Lemma h_mirror N x : h (mirror N) x = ~~ h N x.
Proof.
rewrite /h /= f_mirror; case: (ge N) => /=.
  by rewrite ltr_oppl opprK ltNge.
by rewrite ler_oppl opprK leNgt.
Qed.

Lemma lemma14_mirrored N : (forall j, v N j <= 0) -> convex (h N).
Proof.
move=> v_le0 p q t t01 hp hq.
have v_ge0 : forall j, 0 <= v (mirror N) j by move=> j; rewrite /= oppr_ge0.
have := lemma14 (mirror N) v_ge0 p q t t01.
by rewrite !h_mirror !negbK; apply.
Qed.

(* R'' (kind relu_and): +1 iff every unit is positive, an intersection of open
   half-spaces, hence convex (Theorem 16's region). *)
Lemma R''_convex N : convex (h'' N).
Proof.
move=> p q t /andP [t_ge0 t_le1] /forallP hp /forallP hq; apply/forallP => j.
rewrite pre_comb; have t'_ge0 : 0 <= 1 - t by rewrite subr_ge0.
have [t0 | t_neq0] := eqVneq t 0.
  by rewrite t0 mul0r add0r subr0 mul1r.
have t_gt0 : 0 < t by rewrite lt_def t_neq0.
by apply: ltr_paddr; [rewrite mulr_ge0 // ltW | rewrite mulr_gt0].
Qed.

(* Section 6 in general, the net branch (outcome "counterexample"): a net of
   R' (every v_j >= 0) none of whose units rises along w* (<u_j, w*> <= 0)
   never increases along w*, so from a point it labels -1 the ray x + c w*,
   c >= 0, stays -1: the max-margin direction -y w* = w* does not transfer. *)
Lemma f_nonincreasing N (w : vec) x k : (forall j, 0 <= v N j) -> (forall j, dot (u N j) w <= 0) -> 0 <= k ->
  f N (x + k *: w) <= f N x.
Proof.
move=> v_ge0 flat k_ge0; apply: ler_sum => j _; apply: ler_wpmul2l => //.
rewrite /pre dotDr dotZr addrAC; apply: le_trans (_ : relu (pre N j x) <= _).
  by rewrite le_maxl relu_ge0 /= (le_trans _ (relu_ge _)) // ger_addl mulr_ge0_le0.
exact: lexx.
Qed.

Theorem construction_no_transfer N (w : vec) x k : (forall j, 0 <= v N j) -> (forall j, dot (u N j) w <= 0) ->
  ~~ h N x -> 0 <= k -> ~~ h N (x + k *: w).
Proof.
move=> v_ge0 flat minus k_ge0; have le := f_nonincreasing N w x k v_ge0 flat k_ge0.
move: minus; rewrite /h; case: (ge N); rewrite -?ltNge -?leNgt => minus.
  exact: le_lt_trans le minus.
exact: le_trans le minus.
Qed.

Lemma sum_weighted_le0 m (mu g : 'I_m -> R) : (forall t, 0 <= mu t) -> (forall t, g t <= 0) ->
  \sum_t mu t * g t <= 0.
Proof.
move=> mu_ge0 g_le0; apply: le_trans (_ : _ <= \sum_(t < m) (0 : R)) _; last by rewrite big1_eq.
by apply: ler_sum => t _; apply: mulr_ge0_le0.
Qed.

(* The Farkas branch (outcome "infeasible"): x_i = sum_t mu_t x_t + nu w* with
   every x_t in S[-1], mu >= 0, sum mu = 1 and nu >= 0. Then every unit that
   is <= 0 on S[-1] and does not rise along w* is <= 0 at x_i: no unit of the
   construction (>= 1 at x_i) exists for this +1 point. *)
Theorem construction_infeasible m (xs : 'I_m -> vec) (mu : 'I_m -> R) (nu : R) (w x_i : vec) (uu : vec) (cc : R) :
  (forall t, 0 <= mu t) -> \sum_t mu t = 1 -> 0 <= nu -> x_i = \sum_t mu t *: xs t + nu *: w ->
  (forall t, dot uu (xs t) + cc <= 0) -> dot uu w <= 0 ->
  dot uu x_i + cc <= 0.
Proof.
move=> mu_ge0 mu_sum nu_ge0 -> minus flat.
rewrite dotDr dotZr dot_sumr -addrA -[cc]mul1r -{1}mu_sum mulr_suml.
have -> : \sum_t dot uu (mu t *: xs t) + (nu * dot uu w + \sum_t mu t * cc) =
          \sum_t mu t * (dot uu (xs t) + cc) + nu * dot uu w.
  rewrite addrCA addrC; congr (_ + _); rewrite -big_split /=.
  by apply: eq_bigr => t _; rewrite dotZr mulrDr.
rewrite -[X in _ <= X]addr0 ler_add ?mulr_ge0_le0 //.
exact: (sum_weighted_le0 m mu (fun t => dot uu (xs t) + cc)).
Qed.

End Regions.
