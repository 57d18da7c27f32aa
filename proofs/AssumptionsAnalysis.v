(* Theorem 11 through mathcomp-analysis's nbhs: the only statement allowed
   mathcomp-classical's three classical axioms (proofs/check.sh). *)
From Advdir Require Analysis.

Print Assumptions Analysis.theorem11_nbhs.
