// A verification tool's counterexample to a VNNLIB property, decided exactly: is X in the
// input region, the net's exact outputs, is the output condition met, and what the
// competition's 1e-4 replay says; one copy for `advdir vnnlib`, C and Python.
#pragma once
#include "advdir/exact/graph.hpp"
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/vnnlib.hpp"

#include <optional>

namespace advdir::api {

// A violated bound of the input region, or an output condition that fails.
struct Miss {
  std::size_t assertion;
  std::string text;
  mpq_class by;  // how far outside (0: on a strict bound)
  std::size_t line, column;
};

// Everything decided about one counterexample.
struct Decision {
  exact::Vector x, y;                 // X as read (float32 or as written), the exact outputs
  std::vector<Miss> region, condition;
  std::optional<mpq_class> y_diff;    // |Y_file - f(X)|_inf over the Y the file gives
  std::optional<bool> replay;         // the competition's 1e-4 rule, when the file gives every Y
  bool counterexample() const { return region.empty() && condition.empty(); }
};

// `float32`: each X_i rounded to the nearest float32 first (as a tool that read the file
// into floats would). `where` names the file in errors (the net's size against the property's).
Decision decide(const exact::GraphEngine& net, const exact::vnnlib::Property& p, const exact::vnnlib::Assignment& ce, bool float32,
                const std::string& where);

// The first disjunct of a holding (or ...) that holds, as its index.
std::optional<std::size_t> disjunct(const exact::vnnlib::Formula& f, const exact::Vector& x, const exact::Vector& y);

// The decision as `advdir vnnlib check --json` prints it (x_reading: "decimal" or "float32").
exact::json decision_json(const exact::vnnlib::Property& p, const Decision& d, const std::string& x_reading);

// The certificate of an exact counterexample x with outputs y, written to `out` and
// verified by the independent checker; the net must be ONNX or advdir JSON (`format`),
// which the checker reads itself.
void write_vnnlib_certificate(const std::string& net, const std::string& format, const std::string& property, const exact::Vector& x,
                              const exact::Vector& y, const std::string& out);

// The counterexample file decided against property `p` on the net read from `net_path`
// (format: its format), and the certificate written when `certificate` is not empty and X
// is a counterexample: `advdir vnnlib check`, C and Python.
Decision check_counterexample(const exact::GraphEngine& net, const std::string& net_path, const std::string& format,
                              const exact::vnnlib::Property& p, const std::string& property, const std::string& counterexample,
                              bool float32, const std::string& certificate);

// The same from files alone (the net of any format but .pt), as decision_json's answer.
exact::json check_counterexample_files(const std::string& net, const std::string& property, const std::string& counterexample,
                                       bool float32, const std::string& certificate);

}  // namespace advdir::api
