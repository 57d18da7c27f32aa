(* advdir-vcheck's reading of a certificate (issue 20): JSON, as the OCaml shell
   hands it over, into VCheck's records, with the strict schema of lib/check (an
   object holds exactly the keys its kind reads), then the verdict. This file is
   executable and unproved: it says which numbers a certificate means; VCheck.v
   proves what follows from them. vcheck_sound (at the end) ties each Valid
   verdict to the checks of VCheck.v on the numbers read. *)
From Coq Require Import ZArith QArith_base String.
From mathcomp Require Import ssreflect ssrbool ssrfun eqtype ssrnat seq.
From Advdir Require Import VCheck VNet.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.
Local Open Scope string_scope.

(* A JSON value. A string carries its reading as a rational N/D when it is one
   ("-?digits" or "-?digits/digits", read by the shell); a float is JOther. *)
Inductive json :=
  | JNull | JBool (b : bool) | JInt (z : Z) | JOther
  | JStr (s : string) (q : option (Z * Z))
  | JArr (l : seq json) | JObj (l : seq (string * json)).

(* The data as the shell read it: x_i = rows_i / den, labels as written (after "pair"). *)
Record rawdata := Raw { rden : Z; rlabels : seq Z; rrows : seq (seq Z) }.
(* The certificate's "data" and, for Theorem 15, its "test" set. *)
Definition inputs := (option rawdata * option rawdata)%type.

Inductive verdict := Valid | Invalid (why : string) | Unreadable (why : string) | Uncovered (why : string).

Inductive res (A : Type) := Ok (a : A) | Err (why : string).
Arguments Err {A}.
Definition bind A B (r : res A) (f : A -> res B) : res B := match r with Ok a => f a | Err e => Err e end.
Arguments bind : simpl never.
Local Notation "'do' x <- a ; b" := (bind a (fun x => b)) (at level 200, x name, a at level 100, b at level 200).
Local Notation "a +++ b" := (String.append a b) (at level 60, right associativity).
Definition require (ok : bool) (why : string) : res unit := if ok then Ok tt else Err why.

Fixpoint assoc (k : string) (l : seq (string * json)) : option json :=
  if l is (k', v) :: l' then (if String.eqb k k' then Some v else assoc k l') else None.

Definition field (o : json) (k : string) : res json :=
  if o is JObj l then (if assoc k l is Some v then Ok v else Err ("missing field """ +++ k +++ """"))
  else Err ("expected an object holding """ +++ k +++ """").

(* lib/check's strictness: a key the kind does not read makes the certificate invalid. *)
Definition only (o : json) (keys : seq string) (what : string) : res unit :=
  if o is JObj l then
    if filter (fun p => ~~ has (String.eqb p.1) keys) l is (k, _) :: _ then Err ("field " +++ what +++ "/" +++ k +++ " is not part of this kind of certificate")
    else Ok tt
  else Err (what +++ ": expected an object").

Definition has_key (o : json) (k : string) : bool := if o is JObj l then has (fun p => String.eqb p.1 k) l else false.

Definition rational (j : json) (what : string) : res Q :=
  if j is JStr _ (Some (n, d)) then (if Z.ltb 0 d then Ok (Qmake n (Z.to_pos d)) else Err (what +++ ": malformed rational"))
  else Err (what +++ ": not a rational string").

Fixpoint rationals_of (l : seq json) (what : string) : res (seq Q) :=
  if l is j :: l' then (do q <- rational j what; do qs <- rationals_of l' what; Ok (q :: qs)) else Ok [::].
Definition rationals (j : json) (what : string) (len : nat) : res (seq Q) :=
  if j is JArr l then (if Nat.eqb (size l) len then rationals_of l what else Err (what +++ ": wrong number of entries"))
  else Err (what +++ ": expected an array").

Definition index (j : json) (n : Z) (what : string) : res nat :=
  if j is JInt z then (if Z.leb 0 z && Z.ltb z n then Ok (Z.to_nat z) else Err (what +++ ": not an index of the data"))
  else Err (what +++ ": not an index of the data").

Definition is_int (j : json) (v : Z) : bool := if j is JInt z then Z.eqb z v else false.
Definition is_bool (j : json) (v : bool) : bool := if j is JBool b then Bool.eqb b v else false.
Definition is_str (j : json) (v : string) : bool := if j is JStr s _ then String.eqb s v else false.

(* ---------------------------------------------------------------- data *)

Definition label (z : Z) : res bool :=
  if Z.eqb z 1 then Ok true else if Z.eqb z (-1) then Ok false else Err "labels must be +1 or -1".
Fixpoint labels (l : seq Z) : res (seq bool) :=
  if l is z :: l' then (do y <- label z; do ys <- labels l'; Ok (y :: ys)) else Ok [::].

Definition data_keys (d : json) : res unit :=
  do f <- field d "format";
  let common := if d is JObj l then (if assoc "pair" l is Some _ then [:: "format"; "pair"] else [:: "format"]) else [:: "format"] in
  if is_str f "inline" then only d (cat [:: "labels"; "points"] common) "/data"
  else if is_str f "text" then only d (cat [:: "path"; "sha256"] common) "/data"
  else if is_str f "idx" then only d (cat [:: "images"; "images_sha256"; "labels"; "labels_sha256"; "scale"] common) "/data"
  else Err "unknown data format".

Definition dataset_at (cert : json) (key : string) (raw : option rawdata) : res dataset :=
  do d <- field cert key; do _ <- data_keys d;
  if raw is Some r then (do ys <- labels (rlabels r); Ok (Dataset (rden r) ys (rrows r))) else Err "no data".

Definition dataset_of (cert : json) (raw : inputs) : res dataset := dataset_at cert "data" raw.1.

(* ------------------------------------------------- separator and Farkas *)

Fixpoint increasing (l : seq nat) : bool :=
  if l is a :: t then (if t is b :: _ then Nat.ltb a b && increasing t else true) else true.

(* Weights on the support, written out for all k points (0 off the support). *)
Fixpoint expand (i k : nat) (sup : seq nat) (a : seq Q) : seq Q :=
  if k is k'.+1 then
    (match sup, a with
     | s :: sup', q :: a' => if Nat.eqb s i then q :: expand i.+1 k' sup' a' else q0 :: expand i.+1 k' sup a
     | _, _ => q0 :: expand i.+1 k' sup a
     end)
  else [::].

Fixpoint indices (l : seq json) (n : Z) (what : string) : res (seq nat) :=
  if l is j :: l' then (do i <- index j n what; do ids <- indices l' n what; Ok (i :: ids)) else Ok [::].

(* "support" (strictly increasing indices) and its positive weights. *)
Definition weights (cert : json) (name : string) (S : dataset) : res (seq Q) :=
  do sup <- field cert "support";
  do ids <- (if sup is JArr ((_ :: _) as l) then indices l (Z.of_nat (size (rows S))) "support" else Err "support: expected a non-empty array");
  do _ <- require (increasing ids) "support: indices not strictly increasing";
  do ws <- field cert name; do a <- rationals ws name (size ids);
  do _ <- require (all (fun q => Z.ltb 0 (Qnum q)) a) (name +++ ": an entry is not positive");
  Ok (expand 0 (size (rows S)) ids a).

Definition separator (cert : json) (S : dataset) : res sep :=
  do alpha <- weights cert "alpha" S;
  do w <- field cert "w_star"; do w <- rationals w "w_star" (dim S);
  do b <- field cert "b_star"; do b <- rational b "b_star";
  do m <- field cert "margin_sq"; do m <- rational m "margin_sq";
  Ok (Sep w b alpha m).

Definition classifier (h : json) (S : dataset) : res clf :=
  do w <- field h "w"; do w <- rationals w "w" (dim S);
  do b <- field h "b"; do b <- rational b "b";
  do i <- field h "inner"; do i <- rational i "inner";
  Ok (Clf w b i).

(* What each classifier of a "4", "5" or "corollary6" certificate claims beyond (w, b, inner). *)
Inductive claim := Exits (cs : seq Q) | Bounds (gamma : Q) (cs bound : seq Q) | Least (k : nat) (c : Q).

Definition claim_of (theorem : string) (h : json) (S : dataset) : res claim :=
  let n := size (rows S) in
  do e <- field h "c_exit";
  if String.eqb theorem "4" then (do _ <- only h [:: "w"; "b"; "inner"; "c_exit"] "/classifiers[]";
                                  do cs <- rationals e "c_exit" n; Ok (Exits cs))
  else if String.eqb theorem "5" then
    (do _ <- only h [:: "w"; "b"; "inner"; "c_exit"; "gamma_h"; "bound"] "/classifiers[]";
     do cs <- rationals e "c_exit" n; do g <- field h "gamma_h"; do g <- rational g "gamma_h";
     do bd <- field h "bound"; do bd <- rationals bd "bound" n; Ok (Bounds g cs bd))
  else (do _ <- only h [:: "w"; "b"; "inner"; "least_margin_index"; "c_exit"] "/classifiers[]";
        do k <- field h "least_margin_index"; do k <- index k (Z.of_nat n) "least_margin_index";
        do c <- rational e "c_exit"; Ok (Least k c)).

(* The checks of VCheck.v for one classifier. *)
Definition check_claim (S : dataset) (c : sep) (h : clf) (c_S : Q) (t : claim) : bool :=
  check_clf S c h &&
  match t with
  | Exits cs => check_exits S h cs
  | Bounds g cs bd => check_exits S h cs && check_bounds S c h g cs bd
  | Least k e => check_least S c h k e c_S
  end.

Fixpoint read_list A (l : seq json) (f : json -> res A) : res (seq A) :=
  if l is j :: l' then (do a <- f j; do r <- read_list l' f; Ok (a :: r)) else Ok [::].

Definition transfer (theorem : string) (cert : json) (S : dataset) : res (Q * seq (clf * claim)) :=
  do c_S <- (if String.eqb theorem "corollary6" then (do c <- field cert "c_S"; rational c "c_S") else Ok q0);
  do l <- field cert "classifiers";
  do hs <- (if l is JArr ((_ :: _) as hs) then Ok hs else Err "classifiers: expected a non-empty array");
  do r <- read_list hs (fun h => do x <- classifier h S; do t <- claim_of theorem h S; Ok (x, t));
  Ok (c_S, r).

(* --------------------------------------------------------------- ray *)

Definition ray_of (cert : json) : res (ray * json) :=
  do m <- field cert "model"; do k <- field m "kind";
  do _ <- require (is_str k "linear") "model: not linear";
  do _ <- only m [:: "kind"; "w"; "b"] "/model";
  do w <- field m "w"; let d := (if w is JArr l then size l else 0%N) in
  do w <- rationals w "model.w" d; do b <- field m "b"; do b <- rational b "model.b";
  do x <- field cert "point"; do x <- rationals x "point" d;
  do v <- field cert "direction"; do v <- rationals v "direction" d;
  do adv <- field cert "adversarial"; Ok (Ray w b x v, adv).

Definition check_ray_fields (cert : json) (r : ray) (adv : json) : res unit :=
  let before := if before_plus r then 1%Z else (-1)%Z in
  do lb <- field cert "label_before"; do _ <- require (is_int lb before) "label_before is wrong";
  do _ <- require (is_bool adv (adversarial r)) "adversarial is wrong";
  if adversarial r then
    (do _ <- only cert [:: "format"; "theorem"; "model"; "point"; "direction"; "label_before"; "adversarial";
                         "c_exit"; "label_after"; "differs_at_exit"] "";
     do c <- field cert "c_exit"; do c <- rational c "c_exit";
     do _ <- require (check_exit r c) "c_exit is not where <w, x + c v> + b crosses 0";
     do la <- field cert "label_after"; do _ <- require (is_int la (Z.opp before)) "label_after is wrong";
     do dx <- field cert "differs_at_exit"; require (is_bool dx (before_plus r)) "differs_at_exit is wrong")
  else
    (do _ <- only cert [:: "format"; "theorem"; "model"; "point"; "direction"; "label_before"; "adversarial";
                         "score"; "slope"] "";
     do s <- field cert "score"; do s <- rational s "score";
     do _ <- require (qeq s (ray_score r)) "score != <w,x> + b";
     do t <- field cert "slope"; do t <- rational t "slope";
     require (qeq t (ray_slope r)) "slope != <w,v>").

(* ------------------------------------------------------ Theorem 15 *)

Definition relu2_of (m : json) (d : nat) : res relu2 :=
  do k <- field m "kind"; do _ <- require (is_str k "relu2") "model: expected kind relu2";
  do _ <- only m [:: "kind"; "W"; "b"; "v"; "threshold"; "rule"] "/model";
  do W <- field m "W";
  do U <- (if W is JArr ((_ :: _) as l) then read_list l (fun r => rationals r "model.W" d) else Err "model.W: expected a non-empty matrix");
  do b <- field m "b"; do b <- rationals b "model.b" (size U);
  do v <- field m "v"; do v <- rationals v "model.v" (size U);
  do a <- field m "threshold"; do a <- rational a "model.threshold";
  do r <- field m "rule";
  do ge <- (if is_str r "ge" then Ok true else if is_str r "gt" then Ok false else Err "model.rule: expected gt or ge");
  Ok (Relu2 U b v a ge).

Definition point15_of (S : dataset) (j : json) : res point15 :=
  do _ <- only j [:: "point"; "K"; "c_bound"; "c_exit"; "differs_at_exit"] "/points[]";
  do i <- field j "point"; do i <- index i (Z.of_nat (size (rows S))) "point";
  do K <- field j "K"; do K <- rational K "K";
  do cb <- field j "c_bound"; do cb <- rational cb "c_bound";
  do ce <- field j "c_exit"; do ce <- rational ce "c_exit";
  do dx <- field j "differs_at_exit";
  do dx <- (if dx is JBool b then Ok b else Err "differs_at_exit: expected true or false");
  Ok (Point15 i K cb ce dx).

Definition theorem15_of (cert : json) (S : dataset) : res (relu2 * nat * nat * Q * seq point15) :=
  do m <- field cert "model"; do N <- relu2_of m (dim S);
  let n := Z.of_nat (size (rows S)) in
  do a <- field cert "alpha"; do a <- index a n "alpha";
  do b <- field cert "beta"; do b <- index b n "beta";
  do D <- field cert "D"; do D <- rational D "D";
  do ps <- field cert "points";
  do ps <- (if ps is JArr l then read_list l (point15_of S) else Err "points: expected an array");
  Ok (N, a, b, D, ps).

Fixpoint nats_of (l : seq json) (n : Z) (what : string) : res (seq nat) :=
  if l is j :: l' then (do i <- index j n what; do r <- nats_of l' n what; Ok (i :: r)) else Ok [::].

(* The test set's part: test_points (as points) and test_misclassified, and the
   covered points' unit values for the max-margin exits. *)
Definition test_of (cert : json) (S : dataset) (N : relu2) (pres : seq (seq Q)) (a b : nat) (test : option rawdata) : res (bool * seq (seq Q)) :=
  if has_key cert "test" then
    (do T <- dataset_at cert "test" test;
     do tp <- field cert "test_points";
     do tps <- (if tp is JArr l then read_list l (point15_of T) else Err "test_points: expected an array");
     do tm <- field cert "test_misclassified";
     do tmis <- (if tm is JArr l then nats_of l (Z.of_nat (size (rows T))) "test_misclassified" else Err "test_misclassified: expected an array");
     let tpres := pres_of T N in
     Ok (check_test S T N pres tpres a b tps tmis, map (fun p => nth [::] tpres (i_p p)) tps))
  else Ok (true, [::]).

Definition exit_of (j : json) : res (option (Q * bool)) :=
  match j with
  | JNull => Ok None
  | JObj _ => (do _ <- only j [:: "c_exit"; "differs_at_exit"] "/max_margin/exits[]";
               do c <- field j "c_exit"; do c <- rational c "c_exit";
               do dx <- field j "differs_at_exit";
               if dx is JBool b then Ok (Some (c, b)) else Err "differs_at_exit: expected true or false")
  | _ => Err "max_margin.exits: expected null or an object"
  end.

Definition max_margin_of (cert : json) (S : dataset) (N : relu2) (xs : seq (seq Q)) : res bool :=
  if has_key cert "max_margin" then
    (do mm <- field cert "max_margin";
     do _ <- only mm [:: "support"; "alpha"; "w_star"; "b_star"; "margin_sq"; "exits"] "/max_margin";
     do c <- separator mm S;
     do e <- field mm "exits";
     do exits <- (if e is JArr l then read_list l exit_of else Err "max_margin.exits: expected an array");
     Ok (check_max_margin S N c exits xs))
  else Ok true.

(* ---------------------------------------------------------- verdict *)

Definition top_keys (theorem : string) (cert : json) : seq string :=
  cat [:: "format"; "theorem"; "data"]
  (if String.eqb theorem "farkas" then [:: "support"; "lambda"]
   else if String.eqb theorem "15" then
     cat [:: "model"; "alpha"; "beta"; "D"; "points"]
         (cat (if has_key cert "test" then [:: "test"; "test_points"; "test_misclassified"] else [::])
              (if has_key cert "max_margin" then [:: "max_margin"] else [::]))
   else cat [:: "support"; "alpha"; "w_star"; "b_star"; "margin_sq"]
        (if String.eqb theorem "lemma3" then [::]
         else if String.eqb theorem "corollary6" then [:: "classifiers"; "c_S"] else [:: "classifiers"])).

Definition of_res (r : res bool) : verdict :=
  match r with Ok true => Valid | Ok false => Invalid "a check of VCheck.v failed" | Err e => Invalid e end.

(* The kinds on a dataset: farkas, 15, lemma3, 4, 5, corollary6. *)
Definition check_on_data (theorem : string) (cert : json) (S : dataset) (test : option rawdata) : res bool :=
  if String.eqb theorem "farkas" then (do lambda <- weights cert "lambda" S; Ok (check_farkas S lambda))
  else if String.eqb theorem "15" then
    (do t <- theorem15_of cert S; let '(N, a, b, D, ps) := t in
     let pres := pres_of S N in  (* the units' values at S's points, computed once *)
     do tt <- test_of cert S N pres a b test;
     do mm <- max_margin_of cert S N (cat (map (fun p => nth [::] pres (i_p p)) ps) tt.2);
     Ok (check_15_at S N pres a b D ps && tt.1 && mm))
  else (do c <- separator cert S;
        do _ <- require (check_sep S c) "the separator certificate (lemma3, KKT) fails";
        if String.eqb theorem "lemma3" then Ok true
        else (do t <- transfer theorem cert S; Ok (all (fun p => check_claim S c p.1 t.1 p.2) t.2))).

(* The verdict on a certificate of a kind VCheck.v covers, from the numbers read. *)
Definition check_kind (theorem : string) (cert : json) (raw : inputs) : res bool :=
  if String.eqb theorem "ray" then
    (do r <- ray_of cert; do _ <- require (ray_ok (r.1)) "model, point, direction: malformed";
     do _ <- check_ray_fields cert r.1 r.2; Ok true)
  else (do _ <- only cert (top_keys theorem cert) ""; do S <- dataset_of cert raw; check_on_data theorem cert S raw.2).

Definition covered := [:: "lemma3"; "farkas"; "4"; "5"; "corollary6"; "ray"; "15"].
Definition known := cat covered [:: "7"; "8"; "9"; "11"; "16"; "corollary17"; "counterexample_relu"; "vnnlib_counterexample"].


(* A ray certificate of a net (a model of another kind than linear). *)
Definition net_ray (cert : json) : bool :=
  if field cert "model" is Ok m then (if field m "kind" is Ok (JStr k _) then ~~ String.eqb k "linear" else false) else false.

Definition vcheck (cert : json) (raw : inputs) : verdict :=
  match field cert "format", field cert "theorem" with
  | Ok f, Ok (JStr theorem _) =>
      if ~~ is_str f "advdir-cert/1" then Unreadable "not an advdir-cert/1 certificate"
      else if String.eqb theorem "ray" && net_ray cert then Uncovered "a ray certificate of a net is not among the kinds advdir-vcheck verifies"
      else if has (String.eqb theorem) covered then of_res (check_kind theorem cert raw)
      else if has (String.eqb theorem) known then Uncovered ("theorem " +++ theorem +++ " is not among the kinds advdir-vcheck verifies")
      else Unreadable ("unknown theorem '" +++ theorem +++ "'")
  | Ok f, _ => if is_str f "advdir-cert/1" then Unreadable "unknown theorem ''" else Unreadable "not an advdir-cert/1 certificate"
  | _, _ => Unreadable "not an advdir-cert/1 certificate"
  end.
