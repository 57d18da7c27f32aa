#define BOOST_TEST_MODULE rational
#include "advdir/exact/rational.hpp"

#include <boost/test/unit_test.hpp>

using advdir::exact::parse_rational;
using advdir::exact::parse_vector;
using advdir::exact::to_string;

BOOST_AUTO_TEST_CASE(integers_decimals_fractions) {
  BOOST_TEST(parse_rational("42") == 42);
  BOOST_TEST(parse_rational("-7") == -7);
  BOOST_TEST(parse_rational("+3") == 3);
  BOOST_TEST(parse_rational("0.125") == mpq_class(1, 8));
  BOOST_TEST(parse_rational(".5") == mpq_class(1, 2));
  BOOST_TEST(parse_rational("-0.75") == mpq_class(-3, 4));
  BOOST_TEST(parse_rational("1.") == 1);
  BOOST_TEST(parse_rational("-3/7") == mpq_class(-3, 7));
  BOOST_TEST(parse_rational("6/4") == mpq_class(3, 2));
  BOOST_TEST(parse_rational(" 2 ") == 2);
}

BOOST_AUTO_TEST_CASE(scientific_notation_is_exact) {
  BOOST_TEST(parse_rational("1e-3") == mpq_class(1, 1000));
  BOOST_TEST(parse_rational("2.5E+4") == 25000);
  BOOST_TEST(parse_rational("-1.5e2") == -150);
  BOOST_TEST(parse_rational("0.1e1") == 1);
  // 0.1 as a decimal literal is 1/10, not the nearest binary fraction.
  BOOST_TEST(parse_rational("0.1") == mpq_class(1, 10));
}

BOOST_AUTO_TEST_CASE(malformed_numbers_are_refused) {
  for (const char* bad : {"", "abc", "1.2.3", "1e", "e5", "--1", "1/", "/2", "1/2/3", "0x10", "1 2", ".", "1e+",
                          "1.5/2", "-1/-2", "nan", "inf"})
    BOOST_CHECK_THROW(parse_rational(bad), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(zero_denominator_and_huge_exponent_are_refused) {
  BOOST_CHECK_THROW(parse_rational("1/0"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_rational("0/0"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_rational("1e99999999"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(canonical_strings) {
  BOOST_TEST(to_string(parse_rational("6/4")) == "3/2");
  BOOST_TEST(to_string(parse_rational("-0.50")) == "-1/2");
  BOOST_TEST(to_string(parse_rational("10/5")) == "2");
  BOOST_TEST(to_string(parse_rational("-0")) == "0");
}

BOOST_AUTO_TEST_CASE(vectors) {
  auto v = parse_vector("1/2,0,-3");
  BOOST_TEST(v.size() == 3u);
  BOOST_TEST(v[0] == mpq_class(1, 2));
  BOOST_TEST(v[2] == -3);
  BOOST_CHECK_THROW(parse_vector("1,,2"), std::invalid_argument);
  BOOST_TEST(advdir::exact::dot(v, v) == mpq_class(37, 4));
}
