// Rosenblatt's perceptron over the integers of S: an S-accurate linear classifier
// (when it converges) that differs from the max-margin one, for certifying against.
#pragma once
#include "advdir/exact/linear_model.hpp"

#include <optional>

namespace advdir::exact {

// Cycles through S in order, w += y_i X_i and b += y_i on every mistake (y(<w,X_i>+b) <= 0).
// Returns the classifier after the first clean epoch, or nothing after `max_epochs`.
std::optional<LinearModel> perceptron(const Dataset& data, int max_epochs);

}  // namespace advdir::exact
