// The .nnet format read exactly (import.hpp). Its numbers are decimals, read as written.
#include "advdir/bridge/import.hpp"

#include "advdir/exact/error.hpp"

#include <fstream>
#include <sstream>

namespace advdir::bridge {
namespace {

// The file's numbers after the "//" comment lines, line by line (comma-separated).
class Lines {
public:
  explicit Lines(std::istream& in) : in_(in) {}
  std::vector<mpq_class> next(std::size_t count, const std::string& what) {
    std::string line;
    do {
      if (!std::getline(in_, line)) throw std::invalid_argument("truncated: no line for " + what);
      ++number_;
    } while (line.rfind("//", 0) == 0);
    std::vector<mpq_class> out;
    std::stringstream s(line);
    for (std::string item; std::getline(s, item, ',');) {
      item.erase(0, item.find_first_not_of(" \t\r"));
      item.erase(item.find_last_not_of(" \t\r") + 1);
      if (item.empty()) continue;
      try {
        out.push_back(exact::parse_rational(item));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("line " + std::to_string(number_) + " (" + what + "): " + e.what());
      }
    }
    if (out.size() < count)
      throw std::invalid_argument("line " + std::to_string(number_) + " (" + what + "): " + std::to_string(out.size()) + " numbers, expected " + std::to_string(count));
    out.resize(count);
    return out;
  }

private:
  std::istream& in_;
  std::size_t number_ = 0;
};

std::size_t count(const mpq_class& q, const std::string& what) {
  if (q.get_den() != 1 || q <= 0 || q > 100000) throw std::invalid_argument(what + ": expected a positive count, got " + q.get_str());
  return q.get_num().get_ui();
}

exact::ReluNet parse(std::istream& in) {
  Lines lines(in);
  const std::vector<mpq_class> head = lines.next(4, "numLayers, inputSize, outputSize, maxLayerSize");
  const std::size_t layers = count(head[0], "numLayers");
  std::vector<std::size_t> size;
  for (const mpq_class& q : lines.next(layers + 1, "layer sizes")) size.push_back(count(q, "a layer size"));
  if (size.front() != count(head[1], "inputSize") || size.back() != count(head[2], "outputSize"))
    throw std::invalid_argument("the layer sizes do not start at inputSize and end at outputSize");
  lines.next(1, "the unused symmetric flag");
  const std::size_t d = size.front();
  const exact::Vector lo = lines.next(d, "input minimums"), hi = lines.next(d, "input maximums");
  const exact::Vector mean = lines.next(d + 1, "means"), range = lines.next(d + 1, "ranges");
  for (const mpq_class& r : range)
    if (r <= 0) throw std::invalid_argument("a range is " + r.get_str() + ", not positive");
  for (std::size_t i = 0; i < d; ++i)
    if (lo[i] > hi[i]) throw std::invalid_argument("input " + std::to_string(i) + ": minimum above maximum");

  exact::ReluNet net{"mlp", {}, size.back() == 1 ? exact::Decision::sign : exact::Decision::argmax, 0};
  // Clipping: units relu(x_i - min_i) and relu(x_i - max_i); then x_i clipped = min_i + u_i - v_i.
  exact::Layer clip{std::vector<exact::Vector>(2 * d, exact::Vector(d)), exact::Vector(2 * d)};
  for (std::size_t i = 0; i < d; ++i) {
    clip.W[2 * i][i] = 1, clip.b[2 * i] = -lo[i];
    clip.W[2 * i + 1][i] = 1, clip.b[2 * i + 1] = -hi[i];
  }
  net.layers.push_back(std::move(clip));
  for (std::size_t k = 0; k < layers; ++k) {
    exact::Layer layer{{}, {}};
    for (std::size_t r = 0; r < size[k + 1]; ++r) layer.W.push_back(lines.next(size[k], "layer " + std::to_string(k + 1) + " weights"));
    for (std::size_t r = 0; r < size[k + 1]; ++r) layer.b.push_back(lines.next(1, "layer " + std::to_string(k + 1) + " biases")[0]);
    net.layers.push_back(std::move(layer));
  }
  for (std::string extra; in >> extra;)
    if (extra.rfind("//", 0) != 0) throw std::invalid_argument("trailing data after the last layer");
  // The first layer reads ((min + u - v) - mean) / range: W' = W / range on u and -W / range
  // on v, b' = b + W (min - mean) / range.
  exact::Layer& first = net.layers[1];
  for (std::size_t r = 0; r < first.W.size(); ++r) {
    exact::Vector w(2 * d);
    for (std::size_t i = 0; i < d; ++i) {
      const mpq_class a = first.W[r][i] / range[i];
      w[2 * i] = a, w[2 * i + 1] = -a;
      first.b[r] += a * (lo[i] - mean[i]);
    }
    first.W[r] = std::move(w);
  }
  // The outputs y become y * range + mean (the last of each list).
  for (exact::Vector& row : net.layers.back().W)
    for (mpq_class& v : row) v *= range[d];
  for (mpq_class& v : net.layers.back().b) v = v * range[d] + mean[d];
  return net;
}

}  // namespace

exact::ReluNet read_nnet(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open");
  try {
    return parse(in);
  } catch (const std::invalid_argument& e) {
    throw InputError(path, e.what());
  }
}

}  // namespace advdir::bridge
