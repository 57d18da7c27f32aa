#include "harness.hpp"

#include "../lib/check/src/onnx.hpp"
#include "../lib/check/src/vnnlib.hpp"
#include "advdir/bridge/liblinear.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/graph.hpp"
#include "advdir/exact/linear_model.hpp"
#include "advdir/exact/multiclass.hpp"
#include "advdir/exact/vnnlib.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <sstream>
#include <stdexcept>
#include <string_view>

namespace advdir::fuzz {
namespace {

std::string_view text(const std::uint8_t* data, std::size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// A parsed rational prints to a string that parses back to it.
void rational(const std::uint8_t* data, std::size_t size) {
  try {
    const mpq_class q = exact::parse_rational(text(data, size));
    if (exact::parse_rational(exact::to_string(q)) != q) throw std::logic_error("rational round trip failed");
  } catch (const std::invalid_argument&) {
  }
}

void text_dataset(const std::uint8_t* data, std::size_t size) {
  std::istringstream in{std::string(text(data, size))};
  try {
    const exact::Dataset S = exact::parse_text_dataset(in, "fuzz");
    if (S.size() == 0 || S.den <= 0 || std::size_t(S.X.rows()) != S.size()) throw std::logic_error("inconsistent dataset");
  } catch (const InputError&) {
  }
}

// Memory-backed files, so that the IDX reader opens real paths.
struct MemFile {
  int fd;
  explicit MemFile(std::string_view bytes) : fd(memfd_create("fuzz", 0)) {
    if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != ssize_t(bytes.size())) throw std::runtime_error("memfd");
  }
  ~MemFile() { ::close(fd); }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd); }
};

// The first byte says where the image file ends and the label file begins.
void idx(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  const std::size_t cut = 1 + (size - 1) * data[0] / 256;
  const MemFile images(text(data + 1, cut - 1)), labels(text(data + cut, size - cut));
  for (auto scale : {exact::IdxScale::unit, exact::IdxScale::raw}) {
    try {
      exact::read_idx_dataset(images.path(), labels.path(), scale);
    } catch (const InputError&) {
    }
  }
}

// Parses the bytes as JSON and hands valid JSON to `use`; only `Refusal` may escape it.
template <class Refusal, class Use>
void on_json(const std::uint8_t* data, std::size_t size, Use use) {
  const exact::json j = exact::json::parse(text(data, size), nullptr, false);
  if (j.is_discarded()) return;
  try {
    use(j);
  } catch (const Refusal&) {
  }
}

void model_json(const std::uint8_t* data, std::size_t size) {
  on_json<InputError>(data, size, [](const exact::json& j) { exact::linear_model_from_json(j, "fuzz"); });
  on_json<InputError>(data, size, [](const exact::json& j) { exact::multiclass_model_from_json(j, "fuzz"); });
  on_json<InputError>(data, size, [](const exact::json& j) {  // a graph: evaluable at 0 once read
    const exact::GraphEngine engine(exact::graph_from_json(j, "fuzz"));
    std::size_t largest = engine.graph().input_dim();
    for (const exact::GraphNode& n : engine.graph().nodes) {
      std::size_t size = 1;
      for (std::size_t d : n.shape) size *= d;
      largest = std::max(largest, size);
    }
    if (largest <= 4096) engine.label(exact::Vector(engine.graph().input_dim(), 0));
  });
}

// A LIBLINEAR model file: a model whose rows all have the data's dimension, or InputError.
void liblinear(const std::uint8_t* data, std::size_t size) {
  const MemFile file(text(data, size));
  try {
    const exact::MulticlassModel h = bridge::read_liblinear_multiclass(file.path(), 8);
    for (const exact::Vector& w : h.W)
      if (w.size() != 8 || h.b.size() != h.W.size()) throw std::logic_error("inconsistent LIBLINEAR model");
    bridge::read_liblinear_binary(file.path());
  } catch (const InputError&) {
  }
}

// A VNNLIB property: a Property whose every atom names declared variables, or InputError;
// and a counterexample file read against the box property.
void vnnlib(const std::uint8_t* data, std::size_t size) {
  try {
    const exact::vnnlib::Property p = exact::vnnlib::parse(std::string(text(data, size)), "fuzz");
    if (p.inputs == 0 || p.asserts.empty()) throw std::logic_error("an empty property was accepted");
    const exact::Vector x(p.inputs, 0), y(p.outputs, 0);
    for (const auto& f : p.asserts) exact::vnnlib::holds(f, x, y);
  } catch (const InputError&) {
  }
  const MemFile file(text(data, size));
  try {
    exact::vnnlib::Property box;
    box.inputs = 2, box.outputs = 2;
    exact::vnnlib::read_counterexample(file.path(), box);
  } catch (const InputError&) {
  }
}

// `advdir check` on arbitrary bytes: a verdict or Unreadable, nothing else; both through a
// parsed document and through the file path that advdir-check takes (its own bounded,
// depth-limited reading).
void certificate(const std::uint8_t* data, std::size_t size) {
  on_json<check::Unreadable>(data, size, [](const exact::json& j) { check::check_certificate(j, "/nonexistent"); });
  const MemFile file(text(data, size));
  try {
    check::check_certificate_file(file.path());
  } catch (const check::Unreadable&) {
  }
}

// The checker's own readers of the files a vnnlib_counterexample names: an ONNX net (the
// protobuf wire format decoded by hand) and a VNNLIB property. A net or a property, or
// Invalid; the net evaluates at 0 to its declared number of outputs.
void checker_files(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(text(data, size));
  try {
    const check::detail::Net net = check::detail::onnx_net(bytes, "fuzz");
    if (check::detail::outputs_at(net, check::detail::Vec(net.dim(), 0)).size() != net.outputs()) throw std::logic_error("inconsistent net");
  } catch (const check::detail::Invalid&) {
  }
  try {
    const check::detail::VnnProperty p = check::detail::read_vnnlib(bytes, "fuzz");
    if (p.inputs == 0 || p.asserts.empty()) throw std::logic_error("an empty property was accepted");
    check::detail::satisfies(p, check::detail::Vec(p.inputs, 0), check::detail::Vec(p.outputs, 0));
  } catch (const check::detail::Invalid&) {
  }
}

}  // namespace

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {{"rational", rational},     {"text_dataset", text_dataset}, {"idx", idx},
                                          {"model_json", model_json}, {"certificate", certificate},
                                          {"liblinear", liblinear}, {"vnnlib", vnnlib},
                                          {"checker_files", checker_files}};
  return all;
}

}  // namespace advdir::fuzz
