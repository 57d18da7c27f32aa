(* What a Valid verdict of advdir-vcheck means (issue 20): for each kind, the
   numbers VRead.v read from the certificate pass VCheck.v's checks, so the
   soundness theorems of VCheck.v apply to them, at every realFieldType. *)
From Coq Require Import ZArith QArith_base String.
From mathcomp Require Import all_ssreflect all_algebra.
From Advdir Require Import Vec Ray HardMargin VCheck VNet VRead.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import Order.TTheory GRing.Theory Num.Theory.

Lemma bind_ok A B (r : res A) (f : A -> res B) b : bind r f = Ok b -> exists2 a, r = Ok a & f a = Ok b.
Proof. by case: r => [a|e] //= E; exists a. Qed.

Lemma require_ok ok why : require ok why = Ok tt -> ok.
Proof. by case: ok. Qed.

(* vcheck says Valid only through check_kind. *)
Lemma vcheck_kind cert raw : vcheck cert raw = Valid ->
  exists2 theorem, field cert "theorem" = Ok (JStr theorem None) \/ (exists q, field cert "theorem" = Ok (JStr theorem (Some q)))
                 & check_kind theorem cert raw = Ok true.
Proof.
rewrite /vcheck; case: (field cert "format") => [f|e] //.
case T: (field cert "theorem") => [j|e]; last by case: ifP.
case: j T => [|b|z||theorem q|l|l] T; try by case: ifP.
case: ifP => // _; case: ifP => // _; case: ifP => [_|_]; last by case: ifP.
rewrite /of_res; case E: (check_kind _ _ _) => [[]|] // _; exists theorem => //.
by case: q T {E} => [q|] T; [right; exists q | left].
Qed.

Section Kinds.
Variables (cert : json) (raw : inputs) (theorem : string).
Hypothesis valid : check_kind theorem cert raw = Ok true.

Lemma not_ray : theorem <> "ray"%string ->
  exists2 S, dataset_of cert raw = Ok S & check_on_data theorem cert S raw.2 = Ok true.
Proof.
move: valid; rewrite /check_kind => /[swap] /String.eqb_neq -> /=.
move=> H; have [u _ H2] := bind_ok H; have [S data ok] := bind_ok H2; by exists S.
Qed.

(* lemma3, 4, 5, corollary6: the separator passes check_sep, and each classifier its claim. *)
Theorem vcheck_separator : theorem <> "ray"%string -> theorem <> "farkas"%string -> theorem <> "15"%string ->
  exists S c, [/\ dataset_of cert raw = Ok S, separator cert S = Ok c, check_sep S c &
    theorem <> "lemma3"%string -> exists c_S hs, transfer theorem cert S = Ok (c_S, hs) /\
      all (fun p => check_claim S c p.1 c_S p.2) hs].
Proof.
move=> ray farkas t15; have [S data] := not_ray ray; rewrite /check_on_data.
move/String.eqb_neq: farkas => ->; move/String.eqb_neq: t15 => -> /=.
move=> H; have [c sep H2] := bind_ok H; have [[] /require_ok sep_ok H3] := bind_ok H2.
exists S, c; split=> // lemma3; move: H3; move/String.eqb_neq: lemma3 => -> /= H4.
by have [[c_S hs] t [] all_ok] := bind_ok H4; exists c_S, hs.
Qed.

Theorem vcheck_farkas : theorem = "farkas"%string ->
  exists S lambda, [/\ dataset_of cert raw = Ok S, weights cert "lambda" S = Ok lambda & check_farkas S lambda].
Proof.
move=> farkas; have [|S data] := not_ray; first by rewrite farkas.
rewrite /check_on_data farkas /= => H; have [lambda w [] ok] := bind_ok H.
by exists S, lambda.
Qed.

Theorem vcheck_15 : theorem = "15"%string ->
  exists S N a b D ps, [/\ dataset_of cert raw = Ok S, theorem15_of cert S = Ok (N, a, b, D, ps) & check_15 S N a b D ps].
Proof.
move=> t15; have [|S data] := not_ray; first by rewrite t15.
rewrite /check_on_data t15 /= => H; have [[[[[N a] b] D] ps] read H2] := bind_ok H.
have [tt _ H3] := bind_ok H2; have [mm _ [ok]] := bind_ok H3.
exists S, N, a, b, D, ps; split=> //.
by move: ok; rewrite /check_15; case: (check_15_at _ _ _ _ _ _ _).
Qed.

Theorem vcheck_ray : theorem = "ray"%string ->
  exists r adv, [/\ ray_of cert = Ok (r, adv), ray_ok r & check_ray_fields cert r adv = Ok tt].
Proof.
move: valid => /[swap] ->; rewrite /check_kind /=.
move=> H; have [[r adv] read H2] := bind_ok H; have [[] /require_ok ok H3] := bind_ok H2.
by have [[] fields _] := bind_ok H3; exists r, adv.
Qed.

End Kinds.

(* The end of the chain, kind by kind, at any realFieldType R. *)
Section Statements.
Local Open Scope ring_scope.
Variable R : realFieldType.

(* A valid "4" certificate: Theorem 4 for each classifier it lists. *)
Theorem vcheck_theorem4 S c h cs : check_sep S c -> check_claim S c h q0 (Exits cs) ->
  [/\ accurate (@xR R S) (@yR S) (vR R S (w_h h)) (Q2R R (b_h h)),
      dot (vR R S (w_h h)) (vR R S (w_s c)) = Q2R R (inner_h h), 0 < Q2R R (inner_h h) &
      forall i k, (linear_h (vR R S (w_h h)) (Q2R R (b_h h)) (xR R i - (k * sg R (yR i)) *: vR R S (w_s c)) != yR i) =
                  (if yR i then Q2R R (nth q0 cs i) <= k else Q2R R (nth q0 cs i) < k)].
Proof.
move=> sep_ok /andP[clf_ok exits]; have data := check_sep_data sep_ok.
exact: theorem4_sound.
Qed.

(* A valid "5" certificate: Theorem 5 for each classifier it lists. *)
Theorem vcheck_theorem5 S c h gamma cs bound : check_sep S c -> check_claim S c h q0 (Bounds gamma cs bound) ->
  exists C : separator_cert (@xR R S) (@yR S), [/\ w_star C = vR R S (w_s c),
    forall j, Q2R R gamma <= margin (@xR R S) (@yR S) (vR R S (w_h h)) (Q2R R (b_h h)) j,
    exists j, margin (@xR R S) (@yR S) (vR R S (w_h h)) (Q2R R (b_h h)) j = Q2R R gamma &
    forall i : 'I_(size (rows S)),
      [/\ Q2R R (nth q0 bound i) = HardMargin.bound C (vR R S (w_h h)) (Q2R R (b_h h)) (Q2R R gamma) i,
          c_exit C (vR R S (w_h h)) (Q2R R (b_h h)) i = Q2R R (nth q0 cs i),
          Q2R R (nth q0 cs i) <= Q2R R (nth q0 bound i) &
          forall k, Q2R R (nth q0 bound i) < k ->
            linear_h (vR R S (w_h h)) (Q2R R (b_h h)) (xR R i - (k * sg R (yR i)) *: w_star C) != yR i]].
Proof.
move=> sep_ok /andP[clf_ok /andP[exits bounds]]; have data := check_sep_data sep_ok.
exact: theorem5_sound.
Qed.

(* A valid "corollary6" certificate: Corollary 6 for each classifier it lists. *)
Theorem vcheck_corollary6 S c h k c_e c_S : check_sep S c -> check_claim S c h c_S (Least k c_e) ->
  exists C : separator_cert (@xR R S) (@yR S), [/\ w_star C = vR R S (w_s c), Q2R R c_S = margin_sq C,
    margin_sq C = Q2R R (margin_sq_s c) &
    exists2 i : 'I_(size (rows S)), nat_of_ord i = k &
      [/\ forall j, margin (@xR R S) (@yR S) (vR R S (w_h h)) (Q2R R (b_h h)) i <=
                    margin (@xR R S) (@yR S) (vR R S (w_h h)) (Q2R R (b_h h)) j,
          c_exit C (vR R S (w_h h)) (Q2R R (b_h h)) i = Q2R R c_e, Q2R R c_e <= margin_sq C &
          forall k', margin_sq C < k' ->
            linear_h (vR R S (w_h h)) (Q2R R (b_h h)) (xR R i - (k' * sg R (yR i)) *: w_star C) != yR i]].
Proof.
move=> sep_ok /andP[clf_ok least]; have data := check_sep_data sep_ok.
exact: corollary6_sound.
Qed.

End Statements.
