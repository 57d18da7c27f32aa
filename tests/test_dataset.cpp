#define BOOST_TEST_MODULE dataset
#include "advdir/exact/dataset.hpp"
#include "advdir/exact/error.hpp"
#include "advdir/exact/linear_model.hpp"

#include <boost/test/unit_test.hpp>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace advdir;
using namespace advdir::exact;

namespace {

Dataset parse(const std::string& text) {
  std::istringstream in(text);
  return parse_text_dataset(in, "mem.txt");
}

// The InputError message of parsing `text`.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string be32(std::uint32_t v) { return {char(v >> 24), char((v >> 16) & 255), char((v >> 8) & 255), char(v & 255)}; }

std::filesystem::path tmp(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("advdir_test_dataset_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

void write(const std::filesystem::path& p, const std::string& bytes, bool gz = false) {
  if (gz) {
    gzFile f = gzopen(p.c_str(), "wb");
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
    return;
  }
  std::ofstream(p, std::ios::binary) << bytes;
}

// Two 2x2 images (pixels 0, 255, 51, 1 and 2, 3, 4, 5) with labels 3 and 8.
std::string images() { return be32(0x803) + be32(2) + be32(2) + be32(2) + std::string("\x00\xff\x33\x01\x02\x03\x04\x05", 8); }
std::string labels() { return be32(0x801) + be32(2) + std::string("\x03\x08", 2); }

}  // namespace

BOOST_AUTO_TEST_CASE(text_with_comments_and_mixed_numbers) {
  Dataset S = parse("# a comment\n+1, 0.5, 1/3\n\n-1,-2,1e-1 # trailing\n");
  BOOST_TEST(S.size() == 2u);
  BOOST_TEST(S.dim() == 2u);
  BOOST_TEST(S.labels[0] == 1);
  BOOST_TEST(S.labels[1] == -1);
  BOOST_TEST(S.x(0, 0) == mpq_class(1, 2));
  BOOST_TEST(S.x(0, 1) == mpq_class(1, 3));
  BOOST_TEST(S.x(1, 1) == mpq_class(1, 10));
  BOOST_TEST(S.den == 30);  // lcm of 2, 3, 10: one common denominator
  BOOST_TEST(S.is_binary());
}

BOOST_AUTO_TEST_CASE(text_errors_name_file_line_and_problem) {
  BOOST_TEST(error_of("1,2\n-1,abc\n") == "mem.txt:2: coordinate 1 'abc': malformed number");
  BOOST_TEST(error_of("1,1/0\n") == "mem.txt:1: coordinate 1 '1/0': zero denominator");
  BOOST_TEST(error_of("1,1,2\n-1,3\n") == "mem.txt:2: dimension mismatch: 1 coordinates, expected 2");
  BOOST_TEST(error_of("1/2,1\n") == "mem.txt:1: label '1/2' is not +1, -1 or a class index 0..K-1");
  BOOST_TEST(error_of("1\n") == "mem.txt:1: expected 'label,x1,...,xd'");
  BOOST_TEST(error_of("# nothing\n") == "mem.txt: no data points");
}

BOOST_AUTO_TEST_CASE(missing_file) {
  BOOST_CHECK_EXCEPTION(read_text_dataset("/nonexistent/x.txt"), InputError,
                        [](const InputError& e) { return std::string(e.what()) == "/nonexistent/x.txt: cannot open file"; });
}

BOOST_AUTO_TEST_CASE(idx_plain_and_gzip_scaled_and_raw) {
  write(tmp("img"), images());
  write(tmp("lab"), labels());
  write(tmp("img.gz"), images(), true);
  write(tmp("lab.gz"), labels(), true);
  for (auto [img, lab] : {std::pair{"img", "lab"}, std::pair{"img.gz", "lab.gz"}}) {
    Dataset S = read_idx_dataset(tmp(img), tmp(lab), IdxScale::unit);
    BOOST_TEST(S.size() == 2u);
    BOOST_TEST(S.dim() == 4u);
    BOOST_TEST(S.labels[1] == 8);
    BOOST_TEST(S.x(0, 1) == 1);
    BOOST_TEST(S.x(0, 2) == mpq_class(1, 5));  // 51/255
    Dataset R = read_idx_dataset(tmp(img), tmp(lab), IdxScale::raw);
    BOOST_TEST(R.x(0, 2) == 51);
  }
  Dataset P = binary_pair(read_idx_dataset(tmp("img"), tmp("lab"), IdxScale::raw), 8, 3);
  BOOST_TEST(P.labels[0] == -1);
  BOOST_TEST(P.labels[1] == 1);
}

BOOST_AUTO_TEST_CASE(idx_corrupt_files) {
  write(tmp("lab"), labels());
  auto message = [](const std::string& img_bytes) {
    write(tmp("bad"), img_bytes);
    try {
      read_idx_dataset(tmp("bad"), tmp("lab"), IdxScale::unit);
    } catch (const InputError& e) {
      return e.problem();
    }
    return std::string();
  };
  BOOST_TEST(message(images().substr(0, 20)) == "truncated IDX file: the data needs 8 bytes, found 4");
  BOOST_TEST(message(images().substr(0, 10)) == "truncated IDX file: the header needs 4 bytes, found 2");
  BOOST_TEST(message(std::string("\x01\x02\x08\x03", 4) + images().substr(4)) == "not an IDX file (bad magic number)");
  BOOST_TEST(message(std::string("\x00\x00\x0d\x03", 4) + images().substr(4)) ==
             "IDX element type is not unsigned byte (0x08)");
  BOOST_TEST(message(images() + "x") == "trailing bytes after the IDX data");
  write(tmp("img"), images());
  write(tmp("lab3"), be32(0x801) + be32(3) + std::string("\x03\x08\x01", 3));
  BOOST_CHECK_THROW(read_idx_dataset(tmp("img"), tmp("lab3"), IdxScale::unit), InputError);
}

BOOST_AUTO_TEST_CASE(binary_requirements) {
  BOOST_CHECK_THROW(require_binary(parse("1,0\n1,1\n")), HypothesisError);  // a single class
  BOOST_CHECK_THROW(require_binary(parse("0,0\n2,1\n")), InputError);      // multi-class labels
  BOOST_CHECK_NO_THROW(require_binary(parse("1,0\n-1,1\n")));
  Dataset multi = parse("0,1\n1,2\n2,3\n0,4\n");
  Dataset rest = binary_pair(multi, 0, exact::rest);
  BOOST_TEST(rest.size() == 4u);
  BOOST_TEST((rest.labels == std::vector<int>{1, -1, -1, 1}));
}

BOOST_AUTO_TEST_CASE(linear_models_in_json) {
  LinearModel h = linear_model_from_json(json::parse(R"({"kind":"linear","w":["1/2","-3"],"b":"0.25"})"), "h.json");
  BOOST_TEST(h.b == mpq_class(1, 4));
  BOOST_TEST(h.label({1, 0}) == 1);
  BOOST_TEST(h.label({0, 1}) == -1);
  BOOST_TEST(to_json(h).dump() == R"({"b":"1/4","kind":"linear","w":["1/2","-3"]})");
  for (const char* bad : {R"({"kind":"linear","w":[0.1],"b":"0"})", R"({"kind":"relu2","w":["1"],"b":"0"})",
                          R"({"kind":"linear","w":["1/0"],"b":"0"})", R"({"kind":"linear","w":["1"]})"})
    BOOST_CHECK_THROW(linear_model_from_json(json::parse(bad), "h.json"), InputError);
  Dataset S = parse("1,1,0\n-1,0,1\n");
  BOOST_TEST((signed_scores(S, h) == Vector{mpq_class(3, 4), mpq_class(11, 4)}));
  BOOST_CHECK_THROW(signed_scores(parse("1,1\n"), h), InputError);  // dimension mismatch
}
