// Piecewise-linear networks as one graph (DESIGN.md, "Growing the design"): a DAG of
// affine nodes (dense, convolution, elementwise scale, average pooling, sums), ReLU,
// max-pooling and index maps (reshape, transpose, pad, concat, broadcast), evaluated
// and restricted to a ray exactly (PROOFS.md, "Ray restriction", extended to max-pool
// switches). ONNX graphs are read into it by lib/bridge (import.hpp).
#pragma once
#include "advdir/exact/json_io.hpp"
#include "advdir/exact/relu.hpp"

#include <cstddef>
#include <memory>
#include <optional>

namespace advdir::exact {

using Shape = std::vector<std::size_t>;

enum class Op {
  dense,    // y = W x + b over the flattened input
  conv,     // 2-D convolution (1-D as height 1), cross-correlation as ONNX's Conv
  scale,    // y_i = a_i x_i + c_i, elementwise
  add,      // y = sum_k sign_k x_k over inputs of one size
  gather,   // y_i = input[k_i][j_i], or 0 where j_i is absent: every index map
  relu,     // y = max(x, 0)
  maxpool,  // y = the largest entry of each window (padding never wins)
  avgpool,  // y = the sum of each window over its divisor
};

const char* op_name(Op op);  // "dense", "conv", ...

// The geometry of a convolution or pooling over a C x H x W input: kernel, strides,
// pads (top, left, bottom, right) and dilations; out_h x out_w positions.
struct Window2d {
  std::size_t channels = 0, height = 0, width = 0;
  std::size_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  std::size_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  std::size_t out_h = 0, out_w = 0;
};

struct GraphNode {
  std::string name;                  // the source's name, for messages
  Op op = Op::relu;
  std::vector<std::size_t> inputs;   // value indices: 0 the graph input, k + 1 node k's output
  Shape shape;                       // the output's shape
  std::vector<Vector> W;             // dense: rows
  Vector weights;                    // conv: [out][channels / group][kernel_h][kernel_w]; scale: a
  Vector bias;                       // dense: b; conv: one per output channel (or empty); scale: c
  Window2d window;                   // conv, maxpool, avgpool
  std::size_t out_channels = 0, group = 1;  // conv
  bool count_include_pad = false;    // avgpool
  std::vector<int> signs;            // add: +1 or -1 per input
  std::vector<std::pair<std::size_t, std::ptrdiff_t>> source;  // gather: (input, flat index or -1)
};

// A node of `op` with no weights yet.
GraphNode graph_node(std::string name, Op op, std::vector<std::size_t> inputs, Shape shape);

// A graph with one input and one output (the last node's), and how its outputs decide.
struct Graph {
  Shape input_shape;
  std::vector<GraphNode> nodes;
  Decision decision = Decision::sign;
  mpq_class threshold;

  std::size_t input_dim() const;
  std::size_t output_dim() const;
};

// Checks every node's inputs, shapes, sizes, indices and window geometry, so that the
// evaluator never reads out of range; InputError(source, ...) names the node.
void validate(const Graph& g, const std::string& source);

// The output positions of a window along one axis: floor, or ceil as ONNX's ceil_mode
// (a window may not start in the trailing padding).
std::size_t window_positions(std::size_t size, std::size_t kernel, std::size_t stride, std::size_t dilation,
                             std::size_t pad_begin, std::size_t pad_end, bool ceil_mode);

// {"kind": "graph", "input_shape", "decision", "nodes": [...]} (DESIGN.md, Formats).
Graph graph_from_json(const json& j, const std::string& source);
json to_json(const Graph& g);

// Every layered net as a graph: dense nodes with ReLU between them.
Graph as_graph(const ReluNet& net);

// The graph as a layered net when it is a chain of affine maps and ReLUs with no
// convolution or pooling, the affine maps between two ReLUs multiplied out (at most
// `max_entries` matrix entries); else nothing.
std::optional<ReluNet> as_relu_net(const Graph& g, std::size_t max_entries = std::size_t(1) << 24);

// The graph compiled once (weights as integers over one denominator per tensor) for
// exact evaluation and ray restriction of many points.
class GraphEngine {
public:
  explicit GraphEngine(Graph g, const std::string& source = "graph");
  ~GraphEngine();
  GraphEngine(const GraphEngine&) = delete;
  GraphEngine& operator=(const GraphEngine&) = delete;

  const Graph& graph() const;
  Vector outputs(const Vector& x) const;  // the last node's values at x, exactly
  int label(const Vector& x) const;       // by the graph's decision (argmax: first largest)
  // Along x + c v, c >= 0, through every ReLU kink and max-pool switch (ties broken as
  // the evaluator breaks them: the first largest entry of a window).
  NetRay ray(const Vector& x, const Vector& v) const;
  // The pattern at x, as the checker reads it: per relu node a '0'/'1' string (1 where
  // the input is > 0), per maxpool node the kernel cell (row-major) of each window's first
  // largest entry.
  json pattern(const Vector& x) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The label the graph's decision gives its outputs (what GraphEngine::label gives at x,
// from outputs already computed).
int label_of(const Graph& g, const Vector& outputs);

// The ray's claim as the checker reads it (lib/check: verify_ray_claim): the exit and,
// from 0 and from each breakpoint before it, the pattern on the piece that starts there
// (taken at its midpoint; past the last breakpoint of a ray that never exits, one further).
json graph_ray_claim(const GraphEngine& engine, const Vector& x, const Vector& v, const NetRay& ray);

}  // namespace advdir::exact
