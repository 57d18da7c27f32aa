(* The axioms each main theorem rests on; proofs/check.sh fails if any
   constant listed here comes from outside Coq's standard library. *)
From Advdir Require Ray HardMargin Multiclass Convex Regions Pieces Section6 VCheck.

Print Assumptions Ray.ray_exit_up.
Print Assumptions Ray.ray_exit_down.
Print Assumptions Ray.ray_never.
Print Assumptions HardMargin.lemma3_max_margin.
Print Assumptions HardMargin.margin_sq_norm.
Print Assumptions HardMargin.farkas_not_separable.
Print Assumptions HardMargin.theorem4_inner.
Print Assumptions HardMargin.theorem4_exit.
Print Assumptions HardMargin.theorem5.
Print Assumptions HardMargin.theorem5_flip.
Print Assumptions HardMargin.corollary6.
Print Assumptions Multiclass.theorem8.
Print Assumptions Multiclass.theorem8_classes.
Print Assumptions Convex.lemma14.
Print Assumptions Convex.theorem11.
Print Assumptions Convex.theorem11_relu.
Print Assumptions Convex.theorem15.
Print Assumptions Convex.theorem16_unit.
Print Assumptions Convex.theorem16.
Print Assumptions Convex.corollary17.
Print Assumptions Regions.lemma13_region.
Print Assumptions Regions.lemma13.
Print Assumptions Regions.lemma14_mirrored.
Print Assumptions Regions.R''_convex.
Print Assumptions Regions.construction_no_transfer.
Print Assumptions Regions.construction_infeasible.
Print Assumptions Pieces.ray_piece.
Print Assumptions Pieces.holds_on_strict.
Print Assumptions Pieces.holds_on.
Print Assumptions Pieces.right_pattern.
Print Assumptions Pieces.right_sign.
Print Assumptions Section6.section6_separator.
Print Assumptions Section6.net6_accurate.
Print Assumptions Section6.max_margin_does_not_transfer.
Print Assumptions Section6.direction_transfers.
Print Assumptions Section6.theorem15_needs_c_ge1.
Print Assumptions VCheck.lemma3_sound.
Print Assumptions VCheck.farkas_sound.
Print Assumptions VCheck.theorem4_sound.
Print Assumptions VCheck.theorem5_sound.
Print Assumptions VCheck.corollary6_sound.
Print Assumptions VCheck.ray_sound.
