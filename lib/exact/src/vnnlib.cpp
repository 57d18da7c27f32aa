#include "advdir/exact/vnnlib.hpp"

#include "advdir/exact/error.hpp"
#include "advdir/exact/json_io.hpp"

#include <cctype>
#include <memory>

namespace advdir::exact::vnnlib {
namespace {

// An S-expression: an atom or a list, with where it starts.
struct Node {
  bool list = false;
  std::string atom;
  std::vector<Node> items;
  std::size_t line = 1, column = 1;
};

constexpr std::size_t max_depth = 64;
constexpr std::size_t max_bytes = std::size_t(1) << 28;

[[noreturn]] void fail(const std::string& source, const Node& at, const std::string& what) {
  throw InputError(source + ":" + std::to_string(at.line) + ":" + std::to_string(at.column), what);
}

// The text's S-expressions, top level first. `;` starts a comment to the end of the line.
std::vector<Node> read_sexprs(const std::string& text, const std::string& source) {
  std::vector<Node> top;
  std::vector<Node> open;  // the lists being read, innermost last
  std::size_t line = 1, column = 1;
  auto here = [&] {
    Node n;
    n.line = line, n.column = column;
    return n;
  };
  auto finish = [&](Node n) {
    if (open.empty()) top.push_back(std::move(n));
    else open.back().items.push_back(std::move(n));
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == ';') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '\n') {
      ++line, column = 1, ++i;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      ++column, ++i;
    } else if (c == '(') {
      if (open.size() == max_depth) fail(source, here(), "nested deeper than " + std::to_string(max_depth) + " levels");
      Node n = here();
      n.list = true;
      open.push_back(std::move(n));
      ++column, ++i;
    } else if (c == ')') {
      if (open.empty()) fail(source, here(), "unbalanced ')'");
      Node n = std::move(open.back());
      open.pop_back();
      finish(std::move(n));
      ++column, ++i;
    } else {
      Node n = here();
      while (i < text.size() && text[i] != '(' && text[i] != ')' && text[i] != ';' && !std::isspace(static_cast<unsigned char>(text[i])))
        n.atom += text[i++], ++column;
      finish(std::move(n));
    }
  }
  if (!open.empty()) fail(source, open.back(), "'(' never closed");
  return top;
}

// X_i or Y_j.
bool as_var(const std::string& s, Var& v) {
  if (s.size() < 3 || (s[0] != 'X' && s[0] != 'Y') || s[1] != '_' || s.size() > 12) return false;
  for (std::size_t k = 2; k < s.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
  v = {s[0], std::stoul(s.substr(2))};
  return true;
}

std::string show(const Node& n) {
  if (!n.list) return n.atom;
  std::string s = "(";
  for (std::size_t k = 0; k < n.items.size(); ++k) s += (k ? " " : "") + show(n.items[k]);
  return s + ")";
}

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  Property read(const std::vector<Node>& top) {
    for (const Node& form : top) {
      if (!form.list || form.items.empty() || form.items[0].list) fail(source_, form, "expected (declare-const ...) or (assert ...)");
      const std::string& head = form.items[0].atom;
      if (head == "declare-const") declare(form);
      else if (head == "assert") {
        if (form.items.size() != 2) fail(source_, form, "assert takes one formula");
        p_.asserts.push_back(formula(form.items[1], 0));
      } else {
        fail(source_, form, "unsupported command '" + head + "' (the VNNLIB subset: declare-const, assert)");
      }
    }
    return std::move(p_);
  }

 private:
  void declare(const Node& form) {
    Var v{};
    if (form.items.size() != 3 || form.items[1].list || !as_var(form.items[1].atom, v))
      fail(source_, form, "expected (declare-const X_i Real) or (declare-const Y_j Real)");
    if (form.items[2].list || form.items[2].atom != "Real") fail(source_, form.items[2], "variables must be Real");
    std::size_t& count = v.kind == 'X' ? p_.inputs : p_.outputs;
    if (v.index != count) fail(source_, form, form.items[1].atom + " declared out of order (expected index " + std::to_string(count) + ")");
    ++count;
  }

  Formula formula(const Node& n, std::size_t depth) {
    if (depth > max_depth) fail(source_, n, "nested deeper than " + std::to_string(max_depth) + " levels");
    if (!n.list || n.items.empty() || n.items[0].list) fail(source_, n, "expected a formula, found " + shown(show(n)));
    const std::string& head = n.items[0].atom;
    Formula f;
    if (head == "and" || head == "or") {
      f.kind = head == "and" ? Formula::Kind::all : Formula::Kind::any;
      if (n.items.size() < 2) fail(source_, n, "(" + head + ") needs at least one formula");
      for (std::size_t k = 1; k < n.items.size(); ++k) f.parts.push_back(formula(n.items[k], depth + 1));
      return f;
    }
    static const std::map<std::string, Cmp> ops = {{"<=", Cmp::le}, {"<", Cmp::lt}, {">=", Cmp::ge}, {">", Cmp::gt}};
    const auto op = ops.find(head);
    if (op == ops.end()) fail(source_, n, "unsupported operator '" + head + "' (the subset: <=, <, >=, >, and, or)");
    if (n.items.size() != 3) fail(source_, n, head + " takes two terms");
    Term lhs = term(n.items[1], depth + 1), rhs = term(n.items[2], depth + 1);
    for (const auto& [v, c] : rhs.coef) lhs.coef[v] -= c;
    lhs.constant -= rhs.constant;
    std::erase_if(lhs.coef, [](const auto& e) { return e.second == 0; });
    f.atom = {op->second, std::move(lhs), show(n), n.line, n.column};
    return f;
  }

  Term term(const Node& n, std::size_t depth) {
    if (depth > max_depth) fail(source_, n, "nested deeper than " + std::to_string(max_depth) + " levels");
    Term t;
    if (!n.list) {
      Var v{};
      if (as_var(n.atom, v)) {
        if (v.index >= (v.kind == 'X' ? p_.inputs : p_.outputs)) fail(source_, n, n.atom + " is used but not declared");
        t.coef[v] = 1;
        return t;
      }
      try {
        t.constant = parse_rational(n.atom);
      } catch (const std::invalid_argument&) {
        fail(source_, n, shown(n.atom) + " is neither a variable X_i / Y_j nor a decimal constant");
      }
      return t;
    }
    if (n.items.empty() || n.items[0].list) fail(source_, n, "expected a term, found " + shown(show(n)));
    const std::string& head = n.items[0].atom;
    if (head != "+" && head != "-" && head != "*") fail(source_, n, "unsupported operator '" + head + "' in a term (the subset: +, -, * by a constant)");
    if (n.items.size() < 2) fail(source_, n, "(" + head + ") needs a term");
    std::vector<Term> args;
    for (std::size_t k = 1; k < n.items.size(); ++k) args.push_back(term(n.items[k], depth + 1));
    if (head == "*") return product(n, args);
    if (head == "-" && args.size() == 1) return scaled(args[0], -1);
    t = args[0];
    for (std::size_t k = 1; k < args.size(); ++k) add(t, scaled(args[k], head == "-" ? -1 : 1));
    return t;
  }

  // (* c1 ... t ... ck): at most one factor may hold variables (the term stays linear).
  Term product(const Node& n, const std::vector<Term>& args) {
    Term out;
    out.constant = 1;
    bool linear = false;
    for (const Term& a : args) {
      if (a.coef.empty()) {
        out = scaled(out, a.constant);
      } else {
        if (linear) fail(source_, n, "a product of two variables is not linear");
        linear = true;
        Term s = scaled(a, out.constant);
        out = s;
      }
    }
    return out;
  }

  static Term scaled(Term t, const mpq_class& k) {
    for (auto& [v, c] : t.coef) c *= k;
    t.constant *= k;
    std::erase_if(t.coef, [](const auto& e) { return e.second == 0; });
    return t;
  }

  static void add(Term& t, const Term& u) {
    for (const auto& [v, c] : u.coef) t.coef[v] += c;
    t.constant += u.constant;
    std::erase_if(t.coef, [](const auto& e) { return e.second == 0; });
  }

  std::string source_;
  Property p_;
};

}  // namespace

Property parse(const std::string& text, const std::string& source) {
  Property p = Reader(source).read(read_sexprs(text, source));
  if (p.inputs == 0) throw InputError(source, "declares no input X_0");
  if (p.asserts.empty()) throw InputError(source, "asserts nothing");
  return p;
}

Property read(const std::string& path) { return parse(read_file_gunzip(path, max_bytes), path); }

namespace {

// A counterexample's value: a decimal, (- v), or (/ v w) with w != 0, as SMT-LIB writes
// rationals; nested at most four deep.
mpq_class number(const std::string& path, const Node& n, std::size_t depth) {
  if (!n.list) try {
      return parse_rational(n.atom);
    } catch (const std::invalid_argument&) {
      fail(path, n, shown(n.atom) + " is not a decimal number");
    }
  const bool neg = n.items.size() == 2 && !n.items[0].list && n.items[0].atom == "-";
  const bool div = n.items.size() == 3 && !n.items[0].list && n.items[0].atom == "/";
  if (depth == 4 || (!neg && !div)) fail(path, n, shown(show(n)) + " is not a number, (- v) or (/ p q)");
  if (neg) return -number(path, n.items[1], depth + 1);
  const mpq_class den = number(path, n.items[2], depth + 1);
  if (den == 0) fail(path, n, shown(show(n)) + " divides by zero");
  return number(path, n.items[1], depth + 1) / den;
}

}  // namespace

Assignment read_counterexample(const std::string& path, const Property& p) {
  std::vector<Node> top = read_sexprs(read_file_gunzip(path, max_bytes), path);
  if (!top.empty() && !top[0].list) {  // the result line of a competition results file
    if (top[0].atom != "sat" && top[0].atom != "violated")
      fail(path, top[0], "the file reports '" + top[0].atom + "', not a counterexample (expected sat, or no result line)");
    top.erase(top.begin());
  }
  if (top.size() != 1 || !top[0].list) throw InputError(path, "expected one list ((X_0 v) ... (Y_0 v) ...)");
  Assignment a{std::vector<mpq_class>(p.inputs), std::vector<mpq_class>(p.outputs), std::vector<bool>(p.outputs, false)};
  std::vector<bool> has_x(p.inputs, false);
  for (const Node& pair : top[0].items) {
    Var v{};
    if (!pair.list || pair.items.size() != 2 || pair.items[0].list || !as_var(pair.items[0].atom, v))
      fail(path, pair, "expected (X_i value) or (Y_j value), found " + shown(show(pair)));
    const mpq_class q = number(path, pair.items[1], 0);
    if (v.kind == 'X') {
      if (v.index >= p.inputs) fail(path, pair, pair.items[0].atom + ": the property declares " + std::to_string(p.inputs) + " inputs");
      if (has_x[v.index]) fail(path, pair, pair.items[0].atom + " given twice");
      has_x[v.index] = true, a.x[v.index] = q;
    } else {
      if (v.index >= p.outputs) fail(path, pair, pair.items[0].atom + ": the property declares " + std::to_string(p.outputs) + " outputs");
      if (a.has_y[v.index]) fail(path, pair, pair.items[0].atom + " given twice");
      a.has_y[v.index] = true, a.y[v.index] = q;
    }
  }
  for (std::size_t i = 0; i < p.inputs; ++i)
    if (!has_x[i]) throw InputError(path, "X_" + std::to_string(i) + " is missing");
  return a;
}

mpq_class value(const Term& t, const Vector& x, const Vector& y) {
  mpq_class s = t.constant;
  for (const auto& [v, c] : t.coef) s += c * (v.kind == 'X' ? x.at(v.index) : y.at(v.index));
  return s;
}

bool holds(const Atom& a, const Vector& x, const Vector& y) {
  const int s = sgn(value(a.d, x, y));
  switch (a.op) {
    case Cmp::le: return s <= 0;
    case Cmp::lt: return s < 0;
    case Cmp::ge: return s >= 0;
    case Cmp::gt: return s > 0;
  }
  return false;
}

bool holds(const Formula& f, const Vector& x, const Vector& y) {
  if (f.kind == Formula::Kind::atom) return holds(f.atom, x, y);
  for (const Formula& part : f.parts)
    if (holds(part, x, y) == (f.kind == Formula::Kind::any)) return f.kind == Formula::Kind::any;
  return f.kind == Formula::Kind::all;
}

mpq_class slack(const Atom& a, const Vector& x, const Vector& y) {
  const mpq_class d = value(a.d, x, y);
  return a.op == Cmp::le || a.op == Cmp::lt ? mpq_class(-d) : d;
}

mpq_class slack(const Formula& f, const Vector& x, const Vector& y) {
  if (f.kind == Formula::Kind::atom) return slack(f.atom, x, y);
  mpq_class best = slack(f.parts[0], x, y);
  for (std::size_t k = 1; k < f.parts.size(); ++k) {
    const mpq_class s = slack(f.parts[k], x, y);
    best = f.kind == Formula::Kind::all ? std::min(best, s) : std::max(best, s);
  }
  return best;
}

bool holds_within(const Formula& f, const Vector& x, const Vector& y, const mpq_class& tol) {
  if (f.kind == Formula::Kind::atom) return slack(f.atom, x, y) >= -tol;
  for (const Formula& part : f.parts)
    if (holds_within(part, x, y, tol) == (f.kind == Formula::Kind::any)) return f.kind == Formula::Kind::any;
  return f.kind == Formula::Kind::all;
}

char reads(const Formula& f) {
  if (f.kind == Formula::Kind::atom) {
    bool x = false, y = false;
    for (const auto& [v, c] : f.atom.d.coef) (v.kind == 'X' ? x : y) = true;
    return x && y ? 'B' : y ? 'Y' : 'X';
  }
  char r = 0;
  for (const Formula& part : f.parts) {
    const char p = reads(part);
    r = !r || r == p ? p : 'B';
  }
  return r;
}

}  // namespace advdir::exact::vnnlib
