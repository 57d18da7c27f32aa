#define BOOST_TEST_MODULE check
#include "advdir/bridge/separator.hpp"
#include "advdir/check/check.hpp"
#include "advdir/exact/certificate.hpp"
#include "advdir/exact/perceptron.hpp"

#include "dump.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

using namespace advdir;
using namespace advdir::exact;
using advdir::check::check_certificate;
using advdir::check::max_message_bytes;
using advdir::check::one_line;
using advdir::check::report;
using advdir::check::Verdict;

namespace {

// Section 6's instance with three more points off the margin.
Dataset section6() {
  return make_dataset({{0, 0}, {2, 1}, {2, -1}, {3, 0}, {-1, 2}, {4, 1}, {-2, -1}, {5, 3}}, {-1, 1, 1, 1, -1, 1, -1, 1}, "s6");
}

std::vector<LinearModel> classifiers_of(const Dataset& S, const MaxMarginSeparator& sep) {
  std::vector<LinearModel> hs = {{sep.w_star, sep.b_star}, {{1, 1}, mpq_class(-1, 2)}};
  hs.push_back(*perceptron(S, 100));
  return hs;
}

json certificate(const std::string& theorem, const Dataset& S, std::vector<LinearModel> hs = {}) {
  SeparatorResult r = bridge::max_margin_separator(S);
  if (theorem == "lemma3" || theorem == "farkas") return separator_certificate(inline_data(S), r);
  const LinearTheorem t = theorem == "4" ? LinearTheorem::theorem4
                          : theorem == "5" ? LinearTheorem::theorem5
                                           : LinearTheorem::corollary6;
  if (hs.empty()) hs = classifiers_of(S, r.separator);
  return transfer_certificate(t, inline_data(S), r.separator, certify_linear_transfer(S, r.separator, hs));
}

// Recomputation with the exact layer (independent of the checker): is `cert` valid?
bool recomputed_valid(const json& cert) {
  std::vector<Vector> xs;
  for (const json& p : cert["data"]["points"]) xs.push_back(vector_from_json(p, "x"));
  const Dataset S = make_dataset(xs, cert["data"]["labels"].get<std::vector<int>>(), "mutated");
  if (!S.is_binary()) return false;
  const std::string theorem = cert["theorem"];
  if (theorem == "farkas")
    return !farkas_violation(S, {cert["support"].get<std::vector<std::size_t>>(), vector_from_json(cert["lambda"], "l")});
  MaxMarginSeparator sep{vector_from_json(cert["w_star"], "w"), rational_from_json(cert["b_star"], "b"),
                         cert["support"].get<std::vector<std::size_t>>(), vector_from_json(cert["alpha"], "a"),
                         rational_from_json(cert["margin_sq"], "m")};
  if (kkt_violation(S, sep)) return false;
  if (theorem == "lemma3") return true;
  std::vector<LinearModel> hs;
  for (const json& h : cert["classifiers"]) hs.push_back({vector_from_json(h["w"], "w"), rational_from_json(h["b"], "b")});
  const TransferReport r = certify_linear_transfer(S, sep, hs);
  if (!r.rejected.empty()) return false;
  for (std::size_t c = 0; c < hs.size(); ++c) {
    const json& h = cert["classifiers"][c];
    const ClassifierTransfer& t = r.certified[c];
    if (rational_from_json(h["inner"], "i") != t.inner) return false;
    if (theorem == "corollary6") {
      const std::size_t k = h["least_margin_index"];
      if (k >= S.size() || t.margins[k] != t.gamma_h || rational_from_json(h["c_exit"], "c") != t.c_exit[k]) return false;
      if (rational_from_json(cert["c_S"], "c") != sep.margin_sq) return false;
      continue;
    }
    if (vector_from_json(h["c_exit"], "c") != t.c_exit) return false;
    if (theorem == "5" && (vector_from_json(h["bound"], "b") != t.bound || rational_from_json(h["gamma_h"], "g") != t.gamma_h))
      return false;
  }
  return true;
}

// Every numeric leaf: rational strings and integers (indices, labels).
void numeric_leaves(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "format" && it.key() != "theorem") numeric_leaves(it.value(), at / it.key(), out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) numeric_leaves(j[i], at / i, out);
  } else if (j.is_number_integer() || j.is_string()) {
    out.push_back(at);
  }
}

// r -> r + 1 for rationals; i -> i + 1 for indices; y -> -y for labels.
json mutated(json cert, const json::json_pointer& at) {
  json& v = cert[at];
  if (v.is_string()) v = to_string(parse_rational(v.get<std::string>()) + 1);
  else if (at.parent_pointer().back() == "labels") v = -v.get<int>();
  else v = v.get<long>() + 1;
  return cert;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sha256_matches_known_vectors_and_openssl) {
  BOOST_TEST(check::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(check::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string big;
  std::mt19937 rng(1);
  for (int i = 0; i < 100003; ++i) big += char(rng());
  const auto path = std::filesystem::temp_directory_path() / "advdir_sha_test.bin";
  std::ofstream(path, std::ios::binary) << big;
  BOOST_TEST(check::sha256_hex(big) == sha256_file(path));
}

BOOST_AUTO_TEST_CASE(valid_certificates_of_every_kind_are_accepted) {
  for (const char* theorem : {"lemma3", "4", "5", "corollary6"}) {
    dump_certificate(certificate(theorem, section6()));
    const auto v = check_certificate(certificate(theorem, section6()), ".");
    BOOST_TEST(v.valid, theorem << ": " << v.reason);
  }
  const Dataset xr = make_dataset({{0, 0}, {1, 1}, {1, 0}, {0, 1}}, {1, 1, -1, -1}, "xor");
  const json farkas = certificate("farkas", xr);
  dump_certificate(farkas);
  BOOST_TEST(farkas["theorem"] == "farkas");
  BOOST_TEST(check_certificate(farkas, ".").valid);
}

// Every numeric field, one at a time; the checker must agree with recomputation.
BOOST_AUTO_TEST_CASE(every_single_mutation_is_judged_as_recomputation_says) {
  const Dataset xr = make_dataset({{0, 0}, {1, 1}, {1, 0}, {0, 1}}, {1, 1, -1, -1}, "xor");
  std::vector<json> certs = {certificate("farkas", xr)};
  for (const char* theorem : {"lemma3", "4", "5", "corollary6"}) certs.push_back(certificate(theorem, section6()));
  std::size_t mutations = 0, rejected = 0;
  for (const json& cert : certs) {
    std::vector<json::json_pointer> leaves;
    numeric_leaves(cert, json::json_pointer(), leaves);
    for (const auto& at : leaves) {
      const json m = mutated(cert, at);
      dump_certificate(m);
      const bool expected = recomputed_valid(m);
      const auto verdict = check_certificate(m, ".");
      BOOST_TEST(verdict.valid == expected, cert["theorem"] << " " << at.to_string() << ": checker says "
                                                            << verdict.valid << " (" << verdict.reason << ")");
      ++mutations;
      rejected += !verdict.valid;
    }
  }
  BOOST_TEST_MESSAGE(mutations << " mutations, " << rejected << " rejected");
  BOOST_TEST(mutations > 200u);
  BOOST_TEST(rejected > mutations * 9 / 10);
}

// Numbers with leading zeros are decimal: "010" is ten (GMP's default base would read eight).
BOOST_AUTO_TEST_CASE(leading_zeros_are_decimal) {
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}, {10, 0}}, {-1, 1, 1, 1}, "s");
  json cert = certificate("4", S, {{{1, 0}, -1}});
  BOOST_TEST(cert["classifiers"][0]["c_exit"][3] == "9");  // (10 - 1) / <w,w*> = 9
  cert["data"]["points"][3][0] = "010";
  cert["classifiers"][0]["c_exit"][3] = "09";
  BOOST_TEST(check_certificate(cert, ".").valid);
  cert["classifiers"][0]["c_exit"][3] = "7";  // what an octal reading would accept
  BOOST_TEST(!check_certificate(cert, ".").valid);
}

// Only "-?digits[/digits]" (VRead.v) is a rational, so c_exit[3] = 9 must be written so: each
// string below is 9 to some lax reader (mpz_set_str skips spaces; others take a plus sign, an
// empty denominator as 1, a base prefix, an exponent, or another script's digit nine).
BOOST_AUTO_TEST_CASE(only_ascii_digits_are_rationals) {
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}, {10, 0}}, {-1, 1, 1, 1}, "s");
  json cert = certificate("4", S, {{{1, 0}, -1}});
  BOOST_TEST_REQUIRE(cert["classifiers"][0]["c_exit"][3] == "9");
  for (const char* nine : {" 9", "9 ", "9/ 1", "9/1 ", "+9", "9/+1", "9/", "0x9", "9e0", "\xd9\xa9", "\xef\xbc\x99"}) {
    cert["classifiers"][0]["c_exit"][3] = nine;
    BOOST_TEST(!check_certificate(cert, ".").valid, nine);
  }
  cert["classifiers"][0]["c_exit"][3] = "9/1";
  BOOST_TEST(check_certificate(cert, ".").valid);
}

// c_exit == m_i / <w,w*> is checked as c.num k == M_i P when c's denominator divides the
// common one (k = Q / c.den) and by cross-multiplying when not: 9 written over a prime that
// divides nothing here takes the second way, and a numerator one off is refused on both.
BOOST_AUTO_TEST_CASE(c_exit_over_any_denominator_is_the_same_number) {
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}, {10, 0}}, {-1, 1, 1, 1}, "s");
  json cert = certificate("4", S, {{{1, 0}, -1}});
  BOOST_TEST_REQUIRE(cert["classifiers"][0]["c_exit"][3] == "9");
  for (const auto& [c, valid] : std::vector<std::pair<const char*, bool>>{
           {"9000027/1000003", true}, {"9000028/1000003", false}, {"18/2", true}, {"19/2", false}, {"10", false}, {"9", true}}) {
    cert["classifiers"][0]["c_exit"][3] = c;
    BOOST_TEST(check_certificate(cert, ".").valid == valid, c);
  }
}

// One line, for a terminal, a log or a JSON reader, whatever bytes the certificate held.
BOOST_AUTO_TEST_CASE(messages_are_one_short_line) {
  BOOST_TEST(one_line("a\nb\x1b[31m\x7f\t") == "a\\x0ab\\x1b[31m\\x7f\\x09");
  BOOST_TEST(one_line(std::string(3000, 'a')) == std::string(max_message_bytes, 'a') + "... (3000 bytes)");
  // Bytes that are not UTF-8 (a VNNLIB token's) in a reason: a JSON report still, showing U+FFFD.
  const json r = json::parse(report("c.json", {false, "'\xff\xfe' is not X_i or Y_j"}, true));
  BOOST_TEST(r["reason"] == "'\xef\xbf\xbd\xef\xbf\xbd' is not X_i or Y_j");
  const Dataset S = make_dataset({{0, 0}, {2, 1}, {2, -1}, {10, 0}}, {-1, 1, 1, 1}, "s");
  json cert = certificate("4", S, {{{1, 0}, -1}});
  cert["classifiers"][0]["c_exit"][3] = "9\n" + std::string(100000, '7');
  const Verdict v = check_certificate(cert, ".");
  BOOST_TEST(v.reason == "classifiers[0].c_exit[3]: malformed rational '9\\x0a77777777777777777777777777777777777777'... (100002 bytes)");
  cert["classifiers"][0]["c_exit"][3] = "9";
  cert["evil\nkey"] = 1;
  BOOST_TEST(check_certificate(cert, ".").reason == "field /evil\\x0akey is not part of this kind of certificate (unknown or unread)");
}

BOOST_AUTO_TEST_CASE(structural_damage_is_rejected) {
  const json good = certificate("4", section6());
  auto rejected = [](json c) { return !check_certificate(c, ".").valid; };
  json c = good;
  c.erase("alpha");
  BOOST_TEST(rejected(c));
  c = good;
  c["support"].push_back(c["support"].back());  // duplicated support point
  c["alpha"].push_back("1");
  BOOST_TEST(rejected(c));
  c = good;
  std::swap(c["support"][0], c["support"][1]);  // reordered
  BOOST_TEST(rejected(c));
  c = good;
  c["classifiers"][0]["c_exit"].erase(0);  // a point dropped
  BOOST_TEST(rejected(c));
  c = good;
  c["w_star"][0] = "1/0";
  BOOST_TEST(rejected(c));
  c = good;
  c["w_star"][0] = 1.5;
  BOOST_TEST(rejected(c));
  // A JSON string may hold a NUL: the value before it must not be read as the whole field.
  c = good;
  c["w_star"][0] = c["w_star"][0].get<std::string>() + std::string(1, '\0') + "7";
  BOOST_TEST(rejected(c));
  c = good;
  c["w_star"][0] = c["w_star"][0].get<std::string>() + "/1" + std::string(1, '\0') + "7";  // in the denominator
  BOOST_TEST(rejected(c));
  c = good;
  c["w_star"][0] = c["w_star"][0].get<std::string>() + "/1";  // the same value, well formed: accepted
  BOOST_TEST(!rejected(c));
  c = good;
  c["classifiers"] = json::array();
  BOOST_TEST(rejected(c));
  c = good;
  c["data"]["points"].push_back({"9", "9"});  // a different data set: one more point
  c["data"]["labels"].push_back(1);
  BOOST_TEST(rejected(c));
}

BOOST_AUTO_TEST_CASE(unreadable_certificates_throw) {
  json c = certificate("4", section6());
  json bad = c;
  bad["format"] = "advdir-cert/0";
  BOOST_CHECK_THROW(check_certificate(bad, "."), check::Unreadable);
  bad = c;
  bad["theorem"] = "42";
  BOOST_CHECK_THROW(check_certificate(bad, "."), check::Unreadable);
  bad = c;
  bad["data"] = {{"format", "text"}, {"path", "/nonexistent"}, {"sha256", "00"}};
  BOOST_CHECK_THROW(check_certificate(bad, "."), check::Unreadable);
}

BOOST_AUTO_TEST_CASE(file_data_is_bound_by_its_hash) {
  const auto dir = std::filesystem::temp_directory_path() / ("advdir_check_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto data = dir / "s.txt";
  std::ofstream(data) << "-1,0,0\n1,2,1\n1,2,-1\n";
  DataSpec spec;
  spec.path = data.string();
  const Dataset S = load_dataset(spec);
  const SeparatorResult r = bridge::max_margin_separator(S);
  const json cert = separator_certificate(data_reference(spec, S, dir.string()), r);
  BOOST_TEST(cert["data"]["path"] == "s.txt");
  BOOST_TEST(check_certificate(cert, dir.string()).valid);
  std::ofstream(data, std::ios::app) << "1,5,5\n";  // the file changes after certification
  BOOST_CHECK_THROW(check_certificate(cert, dir.string()), check::Unreadable);
}

namespace {

Dataset random_separable(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> coord(-6, 6);
  while (true) {
    std::vector<Vector> xs;
    std::vector<int> ys;
    int positives = 0;
    const int a = coord(rng), c = coord(rng);
    while (xs.size() < n) {
      Vector x = {coord(rng), coord(rng)};
      const mpq_class s = 3 * x[0] + a * x[1] + c;
      if (s == 0) continue;
      ys.push_back(s > 0 ? 1 : -1);
      positives += s > 0;
      xs.push_back(x);
    }
    if (positives > 0 && positives < int(n)) return make_dataset(xs, ys, "random");
  }
}

// Point-level damage: the data's point i and every per-point array entry i move together.
void for_each_point_array(json& cert, const std::function<void(json&)>& f) {
  f(cert["data"]["points"]);
  f(cert["data"]["labels"]);
  if (cert.contains("classifiers"))
    for (json& h : cert["classifiers"])
      for (const char* key : {"c_exit", "bound"})
        if (h.contains(key) && h[key].is_array()) f(h[key]);
}

std::vector<json> structural_mutations(const json& cert, std::mt19937& rng, const json& other_data) {
  std::vector<json> out;
  const std::size_t n = cert["data"]["labels"].size();
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  const std::size_t i = pick(rng), j = pick(rng);
  json m = cert;  // a point dropped everywhere
  for_each_point_array(m, [&](json& a) { a.erase(i); });
  out.push_back(m);
  m = cert;  // a point duplicated everywhere
  for_each_point_array(m, [&](json& a) { a.push_back(a[i]); });
  out.push_back(m);
  m = cert;  // a point dropped from the data only
  m["data"]["points"].erase(i);
  m["data"]["labels"].erase(i);
  out.push_back(m);
  m = cert;  // a label swapped
  m["data"]["labels"][i] = -m["data"]["labels"][i].get<int>();
  out.push_back(m);
  if (i != j) {
    m = cert;  // two points reordered in the data only
    std::swap(m["data"]["points"][i], m["data"]["points"][j]);
    std::swap(m["data"]["labels"][i], m["data"]["labels"][j]);
    out.push_back(m);
    m = cert;  // two points reordered everywhere (indices in support then point elsewhere)
    for_each_point_array(m, [&](json& a) { std::swap(a[i], a[j]); });
    out.push_back(m);
  }
  if (cert.contains("alpha") && cert["alpha"].size() > 1) {
    m = cert;  // multipliers reordered
    std::swap(m["alpha"][0], m["alpha"][1]);
    out.push_back(m);
  }
  m = cert;  // a different data set
  m["data"] = other_data;
  out.push_back(m);
  return out;
}

}  // namespace

// Checker soundness at scale: >= 10,000 mutations of certificates of every kind
// (every numeric field by several operators, dropped, duplicated and reordered
// points, swapped labels, another data set), each judged as recomputation says.
BOOST_AUTO_TEST_CASE(ten_thousand_mutations_at_scale) {
  std::mt19937 rng(2019);
  std::size_t mutations = 0, rejected = 0;
  auto judge = [&](const json& m) {
    dump_certificate(m);
    const bool expected = recomputed_valid(m);
    const auto verdict = check_certificate(m, ".");
    BOOST_TEST(verdict.valid == expected, m["theorem"] << ": checker says " << verdict.valid << " (" << verdict.reason << ")");
    ++mutations;
    rejected += !verdict.valid;
  };
  const std::vector<std::function<mpq_class(const mpq_class&)>> ops = {
      [](const mpq_class& q) { return q + 1; }, [](const mpq_class& q) { return q - mpq_class(1, 7); },
      [](const mpq_class& q) { return -q; }, [](const mpq_class& q) { return q * 2; }};
  for (int round = 0; mutations < 10000; ++round) {
    const Dataset S = random_separable(rng, 6 + round % 5);
    const json other = inline_data(random_separable(rng, S.size()));
    const MaxMarginSeparator sep = bridge::max_margin_separator(S).separator;
    std::vector<LinearModel> hs = {{sep.w_star, sep.b_star}};
    if (auto p = perceptron(S, 1000)) hs.push_back(*p);
    for (const char* theorem : {"lemma3", "4", "5", "corollary6"}) {
      const json cert = certificate(theorem, S, hs);
      dump_certificate(cert);
      BOOST_REQUIRE(check_certificate(cert, ".").valid);
      std::vector<json::json_pointer> leaves;
      numeric_leaves(cert, json::json_pointer(), leaves);
      for (const auto& at : leaves) {
        json m = cert;
        json& v = m[at];
        if (v.is_string()) {
          for (const auto& op : ops) {
            v = to_string(op(parse_rational(cert[at].get<std::string>())));
            if (v != cert[at]) judge(m);
          }
        } else {
          judge(mutated(cert, at));
        }
      }
      for (const json& m : structural_mutations(cert, rng, other)) judge(m);
    }
  }
  BOOST_TEST_MESSAGE(mutations << " mutations at scale, " << rejected << " rejected");
  BOOST_TEST(mutations >= 10000u);
}
