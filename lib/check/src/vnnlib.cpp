#include "vnnlib.hpp"

#include "advdir/check/check.hpp"

#include <cctype>

namespace advdir::check::detail {
namespace {

constexpr std::size_t max_nesting = 64;

struct Token {
  std::string text;  // "(", ")" or an atom
  std::size_t line, column;
};

std::vector<Token> tokens(const std::string& s) {
  std::vector<Token> out;
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = std::uint8_t(s[i]);
    if (c == ';') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '\n') {
      ++line, column = 1, ++i;
    } else if (std::isspace(c)) {
      ++column, ++i;
    } else if (c == '(' || c == ')') {
      out.push_back({std::string(1, char(c)), line, column});
      ++column, ++i;
    } else {
      Token t{"", line, column};
      while (i < s.size() && s[i] != '(' && s[i] != ')' && s[i] != ';' && !std::isspace(std::uint8_t(s[i]))) t.text += s[i++], ++column;
      out.push_back(std::move(t));
    }
  }
  return out;
}

class Parser {
 public:
  Parser(const std::string& text, std::string what) : t_(tokens(text)), what_(std::move(what)) {}

  VnnProperty read() {
    while (k_ < t_.size()) {
      expect("(");
      const Token& head = atom("a command");
      if (head.text == "declare-const") declare(head);
      else if (head.text == "assert") p_.asserts.push_back(formula(0)), expect(")");
      else fail(head, shown(head.text) + " is not declare-const or assert");
    }
    require(p_.inputs > 0, what_ + ": declares no input X_0");
    require(!p_.asserts.empty(), what_ + ": asserts nothing");
    return std::move(p_);
  }

 private:
  [[noreturn]] void fail(const Token& at, const std::string& why) const {
    throw Invalid(what_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + why);
  }
  const Token& peek() const {
    if (k_ == t_.size()) throw Invalid(what_ + ": ends inside an expression");
    return t_[k_];
  }
  void expect(const char* s) {
    if (peek().text != s) fail(peek(), std::string("expected '") + s + "'");
    ++k_;
  }
  const Token& atom(const char* what) {
    const Token& t = peek();
    if (t.text == "(" || t.text == ")") fail(t, std::string("expected ") + what);
    ++k_;
    return t;
  }

  // X_i or Y_j: the letter and the index, when the text is one.
  static bool variable(const std::string& s, char& kind, std::size_t& index) {
    if (s.size() < 3 || s.size() > 11 || (s[0] != 'X' && s[0] != 'Y') || s[1] != '_') return false;
    for (std::size_t c = 2; c < s.size(); ++c)
      if (!std::isdigit(std::uint8_t(s[c]))) return false;
    kind = s[0], index = std::stoul(s.substr(2));
    return true;
  }

  // (declare-const X_i Real), declared in order from 0.
  void declare(const Token& head) {
    char kind = 0;
    std::size_t index = 0;
    const Token& name = atom("a variable");
    if (!variable(name.text, kind, index)) fail(name, shown(name.text) + " is not X_i or Y_j");
    const Token& sort = atom("Real");
    if (sort.text != "Real") fail(sort, "variables must be Real");
    expect(")");
    std::size_t& count = kind == 'X' ? p_.inputs : p_.outputs;
    if (index != count) fail(head, name.text + " declared out of order");
    ++count;
  }

  Expr formula(std::size_t depth) {
    if (depth > max_nesting) fail(peek(), "nested too deep");
    expect("(");
    const Token& head = atom("an operator");
    Expr e{Expr::Kind::apply, 0, 0, head.text, {}};
    if (e.op == "and" || e.op == "or") {
      while (peek().text != ")") e.args.push_back(formula(depth + 1));
      if (e.args.empty()) fail(head, "(" + e.op + ") of nothing");
    } else if (e.op == "<=" || e.op == "<" || e.op == ">=" || e.op == ">") {
      e.args.push_back(term(depth + 1));
      e.args.push_back(term(depth + 1));
    } else {
      fail(head, shown(e.op) + " is not and, or, <=, <, >=, >");
    }
    expect(")");
    return e;
  }

  Expr term(std::size_t depth) {
    if (depth > max_nesting) fail(peek(), "nested too deep");
    if (peek().text != "(") {
      const Token& a = atom("a term");
      Expr e;
      char kind = 0;
      if (variable(a.text, kind, e.index)) {
        if (e.index >= (kind == 'X' ? p_.inputs : p_.outputs)) fail(a, a.text + " is not declared");
        e.kind = kind == 'X' ? Expr::Kind::x : Expr::Kind::y;
        return e;
      }
      try {
        e.value = parse_number(a.text);
      } catch (const Unreadable&) {
        fail(a, shown(a.text) + " is neither a variable nor a number");
      }
      return e;
    }
    expect("(");
    const Token& head = atom("an operator");
    Expr e{Expr::Kind::apply, 0, 0, head.text, {}};
    if (e.op != "+" && e.op != "-" && e.op != "*") fail(head, shown(e.op) + " is not +, - or *");
    while (peek().text != ")") e.args.push_back(term(depth + 1));
    if (e.args.empty()) fail(head, "(" + e.op + ") of nothing");
    expect(")");
    return e;
  }

  std::vector<Token> t_;
  std::string what_;
  std::size_t k_ = 0;
  VnnProperty p_;
};

mpq_class value(const Expr& e, const Vec& x, const Vec& y) {
  if (e.kind == Expr::Kind::number) return e.value;
  if (e.kind == Expr::Kind::x) return x[e.index];
  if (e.kind == Expr::Kind::y) return y[e.index];
  mpq_class v = value(e.args[0], x, y);
  if (e.op == "-" && e.args.size() == 1) return -v;  // SMT-LIB: unary minus negates
  for (std::size_t k = 1; k < e.args.size(); ++k) {
    const mpq_class a = value(e.args[k], x, y);
    if (e.op == "+") v += a;
    else if (e.op == "-") v -= a;
    else v *= a;
  }
  return v;
}

bool truth(const Expr& e, const Vec& x, const Vec& y) {
  if (e.op == "and" || e.op == "or") {
    for (const Expr& a : e.args)
      if (truth(a, x, y) == (e.op == "or")) return e.op == "or";
    return e.op == "and";
  }
  const int s = cmp(value(e.args[0], x, y), value(e.args[1], x, y));
  return e.op == "<=" ? s <= 0 : e.op == "<" ? s < 0 : e.op == ">=" ? s >= 0 : s > 0;
}

}  // namespace

VnnProperty read_vnnlib(const std::string& text, const std::string& what) { return Parser(text, what).read(); }

bool satisfies(const VnnProperty& p, const Vec& x, const Vec& y) {
  for (const Expr& a : p.asserts)
    if (!truth(a, x, y)) return false;
  return true;
}

}  // namespace advdir::check::detail
