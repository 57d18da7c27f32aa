(* advdir-vcheck: extraction of VRead.vcheck (and VCheck.v below it) to OCaml.
   Trusted here (README, "The proved checker"): Coq's extraction, and each
   Extract line below, which says that an OCaml function computes a Coq one.
   Z and positive become Zarith integers through the module Big (big.ml, an
   alias of Zarith's Z); nat becomes OCaml's int (list sizes and indices only). *)
From Coq Require Import Extraction ExtrOcamlBasic ExtrOcamlNatInt ExtrOcamlNativeString ZArith.
From Advdir Require Import VRead.

Extract Inductive positive => "Big.t"
  [ "(fun p -> Big.succ (Big.shift_left p 1))" "(fun p -> Big.shift_left p 1)" "Big.one" ]
  "(fun f2p1 f2p f1 p -> if Big.equal p Big.one then f1 () else let q = Big.shift_right p 1 in if Big.is_odd p then f2p1 q else f2p q)".
Extract Inductive Z => "Big.t" [ "Big.zero" "(fun p -> p)" "Big.neg" ]
  "(fun f0 fp fn z -> let s = Big.sign z in if s = 0 then f0 () else if s > 0 then fp z else fn (Big.neg z))".

(* The ring operations and comparisons that soundness rests on. *)
Extract Inlined Constant Z.add => "Big.add".
Extract Inlined Constant Z.sub => "Big.sub".
Extract Inlined Constant Z.mul => "Big.mul".
Extract Inlined Constant Z.opp => "Big.neg".
Extract Inlined Constant Z.eqb => "Big.equal".
Extract Inlined Constant Z.leb => "Big.leq".
Extract Inlined Constant Z.ltb => "Big.lt".
(* Used only to write a vector over one denominator, a step checked afterwards
   (VCheck.integral_ok): a wrong answer here can reject, never accept. *)
Extract Inlined Constant Z.lcm => "Big.lcm".
Extract Inlined Constant Z.div => "Big.fdiv".
(* Used only to reduce a fraction, kept when the result is equal (VNet.qnorm). *)
Extract Inlined Constant Z.gcd => "Big.gcd".

Extraction "vcheck_core.ml" VRead.vcheck VRead.json VRead.rawdata VRead.verdict.
