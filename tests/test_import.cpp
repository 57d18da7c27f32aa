#define BOOST_TEST_MODULE import
// Nets from other tools read exactly: ONNX (written by hand with ONNX's own protobuf
// classes, and by advdir's writer) and .nnet, against values derived by hand; every
// refusal the formats call for. Float adversarial examples checked exactly.
#include "advdir/bridge/adversarial.hpp"
#include "advdir/bridge/import.hpp"
#include "advdir/exact/error.hpp"
#include "onnx_graph.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <onnx/onnx_pb.h>

#include <cmath>
#include <fstream>
#include <limits>

using namespace advdir;
using exact::Vector;

namespace {

mpq_class q(const char* s) { return mpq_class(s); }

onnx::TensorProto& initializer(onnx::GraphProto& g, const std::string& name, std::vector<int64_t> dims, std::vector<float> v) {
  onnx::TensorProto& t = *g.add_initializer();
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t.add_dims(d);
  for (float x : v) t.add_float_data(x);
  return t;
}

// x (2) -> Flatten -> MatMul B (2 x 3) -> Add c -> Relu -> Gemm(alpha 0.5, transB) D (1 x 3), e -> y.
onnx::ModelProto model() {
  onnx::ModelProto m;
  onnx::GraphProto& g = *m.mutable_graph();
  graph_input(g, "x", {1, 2}, "N");
  initializer(g, "B", {2, 3}, {1, 2, 3, 4, 5, 6});  // y = x B: column j of B is unit j's weights
  initializer(g, "c", {3}, {-1, 0.25f, -100});
  initializer(g, "D", {1, 3}, {1, -1, 3});
  initializer(g, "e", {1}, {0.125f});
  node(g, "Flatten", {"x"}, "f");
  node(g, "MatMul", {"f", "B"}, "m");
  node(g, "Add", {"m", "c"}, "a");
  node(g, "Relu", {"a"}, "r");
  float_attribute(node(g, "Gemm", {"r", "D", "e"}, "y"), "alpha", 0.5f);
  int_attribute(*g.mutable_node(4), "transB", 1);
  g.add_output()->set_name("y");
  return m;
}

void save(const onnx::ModelProto& m, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  m.SerializeToOstream(&out);
}

void refused(const std::string& path, const std::string& why) {
  try {
    bridge::read_onnx(path);
    BOOST_ERROR("accepted: " << why);
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()).find(why) != std::string::npos, e.what());
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(onnx_chain_read_exactly) {
  TempDir dir("advdir-import-");
  save(model(), dir / "m.onnx");
  const exact::ReluNet net = bridge::read_onnx(dir / "m.onnx");
  BOOST_TEST_REQUIRE(net.layers.size() == 2u);
  // By hand: unit j of the first layer has weights (B[0][j], B[1][j]) and bias c_j; the
  // output is 0.5 (u1 - u2 + 3 u3) + 0.125 with u = relu(...).
  BOOST_TEST((net.layers[0].W == std::vector<Vector>{{1, 4}, {2, 5}, {3, 6}}));
  BOOST_TEST((net.layers[0].b == Vector{-1, q("1/4"), -100}));
  BOOST_TEST((net.layers[1].W == std::vector<Vector>{{q("1/2"), q("-1/2"), q("3/2")}}));
  BOOST_TEST((net.layers[1].b == Vector{q("1/8")}));
  BOOST_TEST((net.decision == exact::Decision::sign));
  // At x = (1, 0): u = (0, 2.25, 0), output 0.5 (-2.25) + 0.125 < 0: label -1.
  BOOST_TEST(net.label({1, 0}) == -1);
  // At x = (0, 30): u = (119, 150.25, 80), output 0.5 (119 - 150.25 + 240) + 0.125 > 0: +1.
  BOOST_TEST(net.label({0, 30}) == 1);
}

BOOST_AUTO_TEST_CASE(onnx_written_and_read_back) {
  TempDir dir("advdir-import-");
  save(model(), dir / "m.onnx");
  const exact::ReluNet net = bridge::read_onnx(dir / "m.onnx");
  bridge::write_onnx(net, dir / "back.onnx");
  const exact::ReluNet back = bridge::read_onnx(dir / "back.onnx");
  BOOST_TEST((exact::to_json(back) == exact::to_json(net)));
  exact::ReluNet third = net;
  third.layers[0].b[0] = q("1/3");  // not a double
  BOOST_CHECK_THROW(bridge::write_onnx(third, dir / "third.onnx"), InputError);
}

BOOST_AUTO_TEST_CASE(onnx_refusals) {
  TempDir dir("advdir-import-");
  onnx::ModelProto m = model();
  m.mutable_graph()->mutable_node(3)->set_op_type("Sigmoid");
  save(m, dir / "sigmoid.onnx");
  refused(dir / "sigmoid.onnx", "node 'Relu_r' (Sigmoid): operator not supported");

  m = model();
  float_attribute(*m.mutable_graph()->mutable_node(4), "gamma", 1);
  save(m, dir / "attr.onnx");
  refused(dir / "attr.onnx", "attribute 'gamma' is not supported");

  m = model();
  m.mutable_graph()->mutable_initializer(0)->set_float_data(2, std::numeric_limits<float>::quiet_NaN());
  save(m, dir / "nan.onnx");
  refused(dir / "nan.onnx", "not a finite weight");

  m = model();
  m.mutable_graph()->mutable_initializer(1)->set_float_data(0, std::numeric_limits<float>::infinity());
  save(m, dir / "inf.onnx");
  refused(dir / "inf.onnx", "not a finite weight");

  m = model();
  m.mutable_graph()->mutable_initializer(1)->set_data_type(onnx::TensorProto::UINT8);
  save(m, dir / "int.onnx");
  refused(dir / "int.onnx", "is not FLOAT, DOUBLE, INT64, INT32 or BOOL");

  m = model();
  m.mutable_graph()->mutable_node(3)->set_input(0, "m");  // Relu takes the MatMul's output: a branch
  save(m, dir / "branch.onnx");
  refused(dir / "branch.onnx", "not a chain");

  m = model();
  m.mutable_graph()->mutable_initializer(2)->add_float_data(1);  // 4 values for 1 x 3
  save(m, dir / "size.onnx");
  refused(dir / "size.onnx", "4 values for the shape [1, 3]");

  std::ofstream(dir / "junk.onnx") << "not protobuf at all \xff\xff\xff";
  refused(dir / "junk.onnx", "not an ONNX model");
  refused(dir / "missing.onnx", "cannot open");
}

BOOST_AUTO_TEST_CASE(nnet_read_exactly) {
  TempDir dir("advdir-import-");
  // Two inputs in [0, 4] x [-1, 1], normalised by means (1, 0) and ranges (2, 1/2); one
  // hidden unit relu(x1' - x2' + 1/2); output y = 3 u - 1, scaled by range 2 and mean 1/4.
  std::ofstream(dir / "n.nnet") << "// a test net\n// more comment\n"
                                << "2,2,1,2,\n2,1,1,\n0,\n0,-1,\n4,1,\n1,0,0.25,\n2,0.5,2,\n"
                                << "1,-1,\n0.5,\n3,\n-1,\n";
  const exact::ReluNet net = bridge::read_nnet(dir / "n.nnet");
  auto f = [](mpq_class x1, mpq_class x2) -> mpq_class {  // the file's function, by hand
    x1 = std::clamp(x1, mpq_class(0), mpq_class(4)), x2 = std::clamp(x2, mpq_class(-1), mpq_class(1));
    const mpq_class a = (x1 - 1) / 2 - x2 / q("1/2") + q("1/2");
    return (3 * (a > 0 ? a : mpq_class(0)) - 1) * 2 + q("1/4");
  };
  for (const auto& [x1, x2] : std::vector<std::pair<mpq_class, mpq_class>>{
           {0, 0}, {3, 0}, {q("17/5"), q("1/3")}, {10, -5}, {-7, 2}, {q("2/3"), q("-1/8")}, {q("4/3"), q("1/6")}})
    BOOST_TEST(net.label({x1, x2}) == (f(x1, x2) > 0 ? 1 : -1), x1 << ", " << x2);

  std::ofstream(dir / "short.nnet") << "2,2,1,2,\n2,1,1,\n0,\n0,-1,\n4,1,\n1,0,0.25,\n2,0.5,2,\n1,-1,\n";
  BOOST_CHECK_EXCEPTION(bridge::read_nnet(dir / "short.nnet"), InputError,
                        [](const InputError& e) { return std::string(e.what()).find("truncated") != std::string::npos; });
  std::ofstream(dir / "bad.nnet") << "2,2,1,2,\n2,1,1,\n0,\n0,-1,\n4,1,\n1,0,0.25,\n2,0.5,2,\n1,x,\n0.5,\n3,\n-1,\n";
  BOOST_CHECK_EXCEPTION(bridge::read_nnet(dir / "bad.nnet"), InputError,
                        [](const InputError& e) { return std::string(e.what()).find("line 8") != std::string::npos; });
  std::ofstream(dir / "range.nnet") << "2,2,1,2,\n2,1,1,\n0,\n0,-1,\n4,1,\n1,0,0.25,\n2,0,2,\n1,-1,\n0.5,\n3,\n-1,\n";
  BOOST_CHECK_EXCEPTION(bridge::read_nnet(dir / "range.nnet"), InputError,
                        [](const InputError& e) { return std::string(e.what()).find("not positive") != std::string::npos; });
}

// Perturbations adversarial in float32 but not exactly, constructed both ways the float
// layer can be wrong: the ball (0.1f and the rounding of k/255 push z past 1/10), and the
// label (a score whose float32 sum rounds to 0).
BOOST_AUTO_TEST_CASE(float_adversarial_checked_exactly) {
  TempDir dir("advdir-import-");
  // Pixel 7/255, moved by eps in float32 as PGD's projection does.
  const float x = 7.0f / 255.0f, z = x + 0.1f;
  // The label: h(v) = +1 iff v1 + v2 - v3 > 0; at (1, 2^-30, 1) float32 sums 1 + 2^-30 to 1,
  // so a float evaluation gets 0 and says -1, while the exact score is 2^-30 > 0.
  const float tiny = std::ldexp(1.0f, -30);
  BOOST_TEST(((1.0f + tiny) - 1.0f) == 0.0f);  // the float32 evaluation's verdict
  const exact::ReluNet net = exact::as_net(exact::LinearModel{{1, 1, -1, 0}, 0});
  const exact::Dataset originals = exact::make_dataset({{1, 0, 1, mpq_class(7, 255)}, {1, 0, 1, mpq_class(7, 255)}}, {1, -1}, "originals");
  const std::vector<float> rows = {1, tiny, 1, z, 1, tiny, 1, x};
  std::ofstream(dir / "z.f32", std::ios::binary).write(reinterpret_cast<const char*>(rows.data()), std::streamsize(rows.size() * sizeof(float)));
  const std::vector<Vector> perturbed = bridge::read_float32_rows(dir / "z.f32", 4);
  BOOST_TEST(perturbed[0][1] == mpq_class(1, 1 << 30));
  const auto label = [&](const Vector& v) { return net.label(v); };
  const bridge::AdversarialReport r = bridge::verify_adversarial(label, originals, perturbed, mpq_class(1, 10));
  // Row 1: label +1 exactly (the true one), and |z - 7/255| exceeds 1/10: not adversarial.
  BOOST_TEST(r.each[0].label == 1);
  BOOST_TEST(!r.each[0].in_ball);
  BOOST_TEST((r.each[0].linf == mpq_class(double(z)) - mpq_class(7, 255)));
  BOOST_TEST((r.each[0].linf > mpq_class(1, 10)));
  // Row 2: true label -1, exact label +1, within the ball (only the float rounding of 7/255 moved):
  // adversarial exactly.
  BOOST_TEST(r.each[1].in_ball);
  BOOST_TEST(r.each[1].adversarial());
  BOOST_TEST(r.adversarial == 1u);
  BOOST_TEST(r.in_box == 2u);

  const std::vector<float> bad = {1, std::numeric_limits<float>::quiet_NaN(), 1, 0};
  std::ofstream(dir / "nan.f32", std::ios::binary).write(reinterpret_cast<const char*>(bad.data()), std::streamsize(bad.size() * sizeof(float)));
  BOOST_CHECK_EXCEPTION(bridge::read_float32_rows(dir / "nan.f32", 4), InputError,
                        [](const InputError& e) { return std::string(e.what()).find("not a finite weight") != std::string::npos; });
  BOOST_CHECK_EXCEPTION(bridge::read_float32_rows(dir / "z.f32", 3), InputError,
                        [](const InputError& e) { return std::string(e.what()).find("not whole rows") != std::string::npos; });
}

// The exact-safe box: for every byte k and a few radii, lo_k is the least float32 with
// lo_k >= max(0, k/255 - eps) and hi_k the greatest with hi_k <= min(1, k/255 + eps),
// decided in rationals here; the float32 projection x + eps it replaces overshoots.
BOOST_AUTO_TEST_CASE(exact_pixel_box_is_the_tightest_safe_one) {
  const float inf = std::numeric_limits<float>::infinity();
  std::size_t overshoots = 0;
  for (const mpq_class& eps : {mpq_class(1, 10), mpq_class(1, 3), mpq_class(2, 5), mpq_class(1, 255)}) {
    const fp::PixelBox box = bridge::exact_pixel_box(eps);
    for (int k = 0; k < 256; ++k) {
      const mpq_class x(k, 255), lo = std::max(mpq_class(0), mpq_class(x - eps)), hi = std::min(mpq_class(1), mpq_class(x + eps));
      const float l = box.lo[std::size_t(k)], h = box.hi[std::size_t(k)];
      BOOST_TEST((mpq_class(l) >= lo && mpq_class(std::nextafter(l, -inf)) < lo), "k = " << k);
      BOOST_TEST((mpq_class(h) <= hi && mpq_class(std::nextafter(h, inf)) > hi), "k = " << k);
      const float x_f = float(k) / 255.0f, e_f = float(eps.get_d());
      overshoots += mpq_class(std::min(x_f + e_f, 1.0f)) > hi;
    }
  }
  BOOST_TEST(overshoots > 100u);
}
