// A float-first filter for the labels of graph nets, in the spirit of CGAL's filtered
// predicates (issue 16): one forward pass in doubles that carries, for every entry, a
// rigorous bound on its distance from the exact value (the argument opens
// graph_filter.cpp); the label is decided when every point of the enclosing box has the same one,
// and otherwise the exact engine (lib/exact, GraphEngine) decides.
#pragma once
#include "advdir/exact/graph.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace advdir::enclose {

// Values in doubles with bounds: the exact value of entry i lies in value[i] +- bound[i].
struct Enclosed {
  std::vector<double> value, bound;
};

class GraphFilter {
public:
  explicit GraphFilter(const exact::Graph& g);
  ~GraphFilter();
  GraphFilter(GraphFilter&&) noexcept;

  // False when a nonzero weight's magnitude lies outside [2^-1000, 2^1000]: then the
  // filter decides nothing.
  bool usable() const;
  // The graph's outputs at x, enclosed; nothing when a value left the doubles' range.
  std::optional<Enclosed> outputs(const exact::Vector& x) const;
  // The label under the graph's decision when the enclosure decides it, else nothing.
  std::optional<int> label(const exact::Vector& x) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The label every point of the box value +- bound gets under `decision` (exact
// comparisons of the box's rational corners), or nothing when they differ.
std::optional<int> decide_box(exact::Decision decision, const mpq_class& threshold, const Enclosed& y);

// Labels by the filter first, by the exact engine when it cannot decide; counts both.
class FilteredLabeler {
public:
  explicit FilteredLabeler(exact::Graph g, const std::string& source = "graph");
  int label(const exact::Vector& x) const;
  const exact::GraphEngine& engine() const { return engine_; }
  std::size_t calls() const { return calls_; }
  std::size_t fallbacks() const { return fallbacks_; }

private:
  exact::GraphEngine engine_;
  GraphFilter filter_;
  mutable std::atomic<std::size_t> calls_{0}, fallbacks_{0};
};

}  // namespace advdir::enclose
