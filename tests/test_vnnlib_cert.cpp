#define BOOST_TEST_MODULE vnnlib_cert
// The vnnlib_counterexample certificate: the checker's own ONNX reading (protobuf decoded
// by hand) against nets written with ONNX's protobuf classes in every encoding of the
// weights, its own VNNLIB reading, and the certificates it must reject. Expected outputs
// are derived by hand; the solver's reader (lib/bridge) is compared on the same files.
#include "../lib/check/src/onnx.hpp"
#include "advdir/bridge/import.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/relu.hpp"
#include "advdir/exact/vnnlib.hpp"
#include "onnx_graph.hpp"
#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <onnx/onnx_pb.h>

#include <fstream>
#include <limits>

using namespace advdir;
using exact::Vector;

namespace {

mpq_class q(const char* s) { return mpq_class(s); }

enum class Encoding { float_data, raw_float, double_data, raw_double };

void fill(onnx::TensorProto& t, const std::vector<double>& v, Encoding e) {
  const bool single = e == Encoding::float_data || e == Encoding::raw_float;
  t.set_data_type(single ? onnx::TensorProto::FLOAT : onnx::TensorProto::DOUBLE);
  std::string raw;
  for (double x : v) {
    if (e == Encoding::float_data) t.add_float_data(float(x));
    else if (e == Encoding::double_data) t.add_double_data(x);
    else if (single) { const float f = float(x); raw.append(reinterpret_cast<const char*>(&f), 4); }
    else raw.append(reinterpret_cast<const char*>(&x), 8);
  }
  if (e == Encoding::raw_float || e == Encoding::raw_double) t.set_raw_data(raw);
}

void initializer(onnx::GraphProto& g, const std::string& name, std::vector<int64_t> dims, const std::vector<double>& v, Encoding e) {
  onnx::TensorProto& t = *g.add_initializer();
  t.set_name(name);
  for (int64_t d : dims) t.add_dims(d);
  fill(t, v, e);
}

// x (2) -> Flatten -> MatMul B (2 x 3) -> Add c -> Relu -> Gemm(alpha 0.5, beta 2, transB) D (2 x 3), e -> y (2).
// By hand: u = relu(x B + c); y_0 = 0.5 (u_0 - u_1 + 3 u_2) + 2 (1/8), y_1 = 0.5 (-u_0 + 0.75 u_1) + 2 (-1).
onnx::ModelProto model(Encoding e) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *m.mutable_graph();
  graph_input(g, "x", {1, 2}, "N");
  initializer(g, "B", {2, 3}, {1, 2, 3, 4, 5, 6}, e);
  initializer(g, "c", {3}, {-1, 0.25, -100}, e);
  initializer(g, "D", {2, 3}, {1, -1, 3, -1, 0.75, 0}, e);
  initializer(g, "e", {1, 2}, {0.125, -1}, e);
  node(g, "Flatten", {"x"}, "f");
  node(g, "MatMul", {"f", "B"}, "m");
  node(g, "Add", {"m", "c"}, "a");
  node(g, "Relu", {"a"}, "r");
  onnx::NodeProto& gemm = node(g, "Gemm", {"r", "D", "e"}, "y");
  float_attribute(gemm, "alpha", 0.5f), float_attribute(gemm, "beta", 2), int_attribute(gemm, "transB", 1);
  g.add_output()->set_name("y");
  return m;
}

// The outputs at x, by hand.
Vector by_hand(const Vector& x) {
  auto relu = [](const mpq_class& v) { return v > 0 ? v : mpq_class(0); };
  const mpq_class u0 = relu(x[0] + 4 * x[1] - 1), u1 = relu(2 * x[0] + 5 * x[1] + q("1/4")), u2 = relu(3 * x[0] + 6 * x[1] - 100);
  return {(u0 - u1 + 3 * u2) / 2 + q("1/4"), (-u0 + q("3/4") * u1) / 2 - 2};
}

void save(const std::string& bytes, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

std::string bytes_of(const onnx::ModelProto& m) {
  std::string s;
  m.SerializeToString(&s);
  return s;
}

// x in [0, 1] x [0, 1] and y_0 >= y_1 + 1/4 (or y_1 > 5).
const char* property =
    "; a box and an output condition\n"
    "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n"
    "(assert (<= X_0 1))\n(assert (>= X_0 0.0))\n(assert (and (<= X_1 1e0) (>= X_1 0)))\n"
    "(assert (or (>= Y_0 (+ Y_1 0.25)) (> Y_1 5)))\n";

check::Verdict verdict(const exact::json& cert, const TempDir& dir) { return check::check_certificate(cert, dir.path.string()); }

exact::json certificate(const TempDir& dir, const Vector& x) {
  return exact::vnnlib_certificate(dir / "net.onnx", "onnx", dir / "p.vnnlib", x, by_hand(x), dir.path.string());
}

}  // namespace

BOOST_AUTO_TEST_CASE(checker_reads_every_weight_encoding) {
  for (Encoding e : {Encoding::float_data, Encoding::raw_float, Encoding::double_data, Encoding::raw_double}) {
    TempDir dir("advdir-vnncert-");
    save(bytes_of(model(e)), dir / "net.onnx");
    save(property, dir / "p.vnnlib");
    // x = (1/2, 1/4): u = (1/2, 5/2, 0), y = (-1 + 1/4, (-1/2 + 15/8)/2 - 2) = (-3/4, -21/16): y_0 >= y_1 + 1/4.
    const Vector x{q("1/2"), q("1/4")};
    BOOST_TEST((by_hand(x) == Vector{q("-3/4"), q("-21/16")}));
    BOOST_TEST((exact::net_outputs(bridge::read_onnx(dir / "net.onnx"), x) == by_hand(x)));  // the solver's reading agrees
    const check::Verdict v = verdict(certificate(dir, x), dir);
    BOOST_TEST(v.valid, v.reason);
  }
}

BOOST_AUTO_TEST_CASE(checker_rejects_false_claims) {
  TempDir dir("advdir-vnncert-");
  save(bytes_of(model(Encoding::float_data)), dir / "net.onnx");
  save(property, dir / "p.vnnlib");
  const Vector x{q("1/2"), q("1/4")};
  auto rejected = [&](exact::json cert, const std::string& why) {
    const check::Verdict v = verdict(cert, dir);
    BOOST_TEST(!v.valid, why);
    BOOST_TEST(v.reason.find(why) != std::string::npos, v.reason);
  };
  exact::json c = certificate(dir, x);
  c["y"][1] = "-21/16000";
  rejected(c, "y: not the net's exact outputs at x");
  // x = (1, 1): u = (4, 29/4, 0), y_0 = (4 - 29/4)/2 + 1/4 = -11/8, y_1 = (-4 + 87/16)/2 - 2 = -41/32:
  // y_0 < y_1 + 1/4 and y_1 <= 5.
  BOOST_TEST((by_hand({1, 1}) == Vector{q("-11/8"), q("-41/32")}));
  rejected(certificate(dir, {1, 1}), "the property does not hold at (x, f(x))");
  // Outside the box (X_0 = 1 + 1/10^11), the condition holding there.
  const Vector outside{q("100000000001/100000000000"), 0};
  BOOST_TEST(by_hand(outside)[0] >= by_hand(outside)[1] + q("1/4"));
  rejected(certificate(dir, outside), "the property does not hold at (x, f(x))");
  c = certificate(dir, x);
  c["x"].push_back("0");
  rejected(c, "x: expected 2 rationals");
  c = certificate(dir, x);
  c["note"] = "extra";
  rejected(c, "field /note is not part of this kind of certificate");
  c = certificate(dir, x);
  c["net"]["format"] = "nnet";
  rejected(c, "net.format");
  // The property edited after the certificate was made: unreadable (SHA-256).
  c = certificate(dir, x);
  save(std::string(property) + "(assert (> Y_1 100))\n", dir / "p.vnnlib");
  BOOST_CHECK_THROW(verdict(c, dir), check::Unreadable);
}

BOOST_AUTO_TEST_CASE(checker_onnx_refusals) {
  TempDir dir("advdir-vnncert-");
  save(property, dir / "p.vnnlib");
  const Vector x{q("1/2"), q("1/4")};
  auto refused = [&](const std::string& bytes, const std::string& why) {
    save(bytes, dir / "net.onnx");
    const check::Verdict v = verdict(certificate(dir, x), dir);
    BOOST_TEST(!v.valid, why);
    BOOST_TEST(v.reason.find(why) != std::string::npos, v.reason);
  };
  // Two graph fields: protobuf merges them (the nodes of both, one after the other); the
  // checker refuses to guess.
  std::string two = bytes_of(model(Encoding::float_data));
  onnx::ModelProto extra;
  node(*extra.mutable_graph(), "Relu", {"y"}, "z");
  refused(two + bytes_of(extra), "two graphs");
  onnx::ModelProto m = model(Encoding::float_data);
  m.mutable_graph()->mutable_node(4)->set_domain("com.microsoft");
  refused(bytes_of(m), "operator domain 'com.microsoft'");
  m = model(Encoding::float_data);
  float_attribute(*m.mutable_graph()->mutable_node(4), "gamma", 1);
  refused(bytes_of(m), "attribute 'gamma' is not read");
  m = model(Encoding::float_data);
  int_attribute(*m.mutable_graph()->mutable_node(4), "transA", 1);
  refused(bytes_of(m), "transA = 1");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_node(4)->mutable_attribute(0)->set_type(onnx::AttributeProto::INT);
  m.mutable_graph()->mutable_node(4)->mutable_attribute(0)->clear_f();
  m.mutable_graph()->mutable_node(4)->mutable_attribute(0)->set_i(2);
  refused(bytes_of(m), "attribute 'alpha' is not a binary32 value");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_initializer(0)->set_float_data(2, std::numeric_limits<float>::quiet_NaN());
  refused(bytes_of(m), "infinity or a NaN");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_initializer(1)->set_data_type(onnx::TensorProto::INT64);
  refused(bytes_of(m), "is not FLOAT (1) or DOUBLE (11)");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_initializer(1)->set_data_location(onnx::TensorProto::EXTERNAL);
  refused(bytes_of(m), "external or integer data");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_initializer(1)->add_dims(2);
  refused(bytes_of(m), "3 values for dimensions of size 6");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_node(1)->set_op_type("Conv");
  refused(bytes_of(m), "operator not read");
  m = model(Encoding::float_data);
  m.mutable_graph()->mutable_node(2)->set_input(0, "f");
  refused(bytes_of(m), "not a chain");
  m = model(Encoding::float_data);
  *m.mutable_graph()->add_sparse_initializer() = onnx::SparseTensorProto();
  refused(bytes_of(m), "graph field 15");
  const std::string whole = bytes_of(model(Encoding::float_data));
  refused(whole.substr(0, whole.size() / 2), "");  // truncated: whatever it says, never valid
  refused("not a protobuf at all", "");
}

BOOST_AUTO_TEST_CASE(binary_floats_from_their_bits) {
  using check::detail::binary32;
  using check::detail::binary64;
  mpz_class two149, two1074;
  mpz_ui_pow_ui(two149.get_mpz_t(), 2, 149);
  mpz_ui_pow_ui(two1074.get_mpz_t(), 2, 1074);
  BOOST_TEST(binary32(0x00000001u) == mpq_class(1, two149));      // the least subnormal
  BOOST_TEST(binary32(0x80000000u) == 0);                         // -0
  BOOST_TEST(binary32(0x3f800000u) == 1);
  BOOST_TEST(binary32(0xbe000000u) == q("-1/8"));
  BOOST_TEST(binary32(0x3dcccccdu) == q("13421773/134217728"));   // float32(0.1)
  BOOST_TEST(binary32(0x7f7fffffu) == mpq_class(mpz_class("340282346638528859811704183484516925440")));  // FLT_MAX
  BOOST_TEST(binary64(0x0000000000000001ull) == mpq_class(1, two1074));
  BOOST_TEST(binary64(0x3fb999999999999aull) == q("3602879701896397/36028797018963968"));  // 0.1
  BOOST_TEST(binary64(0xc000000000000000ull) == -2);
  BOOST_CHECK_THROW(binary32(0x7f800000u), check::detail::Invalid);
  BOOST_CHECK_THROW(binary64(0x7ff8000000000000ull), check::detail::Invalid);
}

BOOST_AUTO_TEST_CASE(repair_finds_what_the_checker_accepts) {
  TempDir dir("advdir-vnncert-");
  save(bytes_of(model(Encoding::raw_float)), dir / "net.onnx");
  save(property, dir / "p.vnnlib");
  const exact::ReluNet net = bridge::read_onnx(dir / "net.onnx");
  const exact::vnnlib::Property p = exact::vnnlib::read(dir / "p.vnnlib");
  // (1, 1) fails (above); clamping (2, 1) gives (1, 1) again; the segment from the centre
  // (1/2, 1/2) through (1, 1) meets the condition at once: x(0) = (1/2, 1/2), u = (3/2, 15/4, 0),
  // y_0 = (3/2 - 15/4)/2 + 1/4 = -7/8, y_1 = (-3/2 + 45/16)/2 - 2 = -43/32: y_0 >= y_1 + 1/4.
  const exact::vnnlib::Repair r = exact::vnnlib::repair(net, p, {2, 1});
  BOOST_TEST_REQUIRE(r.found);
  BOOST_TEST((r.x == Vector{q("1/2"), q("1/2")}));
  BOOST_TEST((r.y == by_hand(r.x)));
  const check::Verdict v = verdict(exact::vnnlib_certificate(dir / "net.onnx", "onnx", dir / "p.vnnlib", r.x, r.y, dir.path.string()), dir);
  BOOST_TEST(v.valid, v.reason);
  // The counterexample file written exactly reads back to the same rationals.
  save(exact::vnnlib::counterexample_text({q("-1/3"), q("1/1024")}, {q("5/2"), q("-7")}), dir / "ce");
  const exact::vnnlib::Assignment a = exact::vnnlib::read_counterexample(dir / "ce", p);
  BOOST_TEST((a.x == Vector{q("-1/3"), q("1/1024")}));
  BOOST_TEST((a.y == Vector{q("5/2"), -7}));
}

// Every field edited as an adversary would: removed, of another type, reordered, huge,
// negative, or naming other bytes. None may leave a valid certificate.
BOOST_AUTO_TEST_CASE(checker_refuses_every_field_edited) {
  TempDir dir("advdir-vnncert-");
  save(bytes_of(model(Encoding::float_data)), dir / "net.onnx");
  save(property, dir / "p.vnnlib");
  const exact::json good = certificate(dir, {q("1/2"), q("1/4")});
  BOOST_TEST_REQUIRE(verdict(good, dir).valid);
  std::vector<std::pair<std::string, exact::json>> edited;
  for (const char* key : {"net", "property", "x", "y", "theorem", "format"}) {
    exact::json c = good;
    c.erase(key);
    edited.emplace_back(std::string("without ") + key, c);
  }
  for (const char* key : {"path", "sha256", "format"}) {
    exact::json c = good;
    c["net"].erase(key);
    edited.emplace_back(std::string("net without ") + key, c);
  }
  exact::json c = good;
  c["x"][0] = 0.5;  // a JSON number, not the rational's string
  edited.emplace_back("x as a number", c);
  c = good;
  std::swap(c["y"][0], c["y"][1]);
  edited.emplace_back("y reordered", c);
  c = good;
  c["x"][0] = "1" + std::string(400, '0');  // huge: outside the box
  edited.emplace_back("x huge", c);
  c = good;
  c["x"][1] = "-1/4";  // negative: outside the box
  edited.emplace_back("x negative", c);
  c = good;
  c["net"]["path"] = "p.vnnlib";  // other bytes than those hashed
  edited.emplace_back("net path to other bytes", c);
  c = good;
  c["property"] = good["net"];
  c["property"].erase("format");
  edited.emplace_back("the net's bytes as the property", c);
  for (const auto& [what, cert] : edited) {
    bool valid = false;
    try {
      valid = verdict(cert, dir).valid;
    } catch (const check::Unreadable&) {
    }
    BOOST_TEST(!valid, what);
  }
}
