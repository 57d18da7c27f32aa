#define BOOST_TEST_MODULE fp
// The floating-point layer's data, LIBLINEAR models and attacks: IDX round trips and
// corrupt files, LIBLINEAR files read back exactly by the bridge, attack invariants.
#include "advdir/bridge/liblinear.hpp"
#include "advdir/fp/attack.hpp"

#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace advdir;

namespace {

std::string be32(std::size_t v) {
  return {char(v >> 24 & 255), char(v >> 16 & 255), char(v >> 8 & 255), char(v & 255)};
}

void write(const std::string& path, const std::string& bytes, bool gzip) {
  if (!gzip) {
    std::ofstream(path, std::ios::binary) << bytes;
    return;
  }
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
}

// n images of rows x cols with pixel (i, k) = (7 i + k) mod 256, labels i mod 10.
std::pair<std::string, std::string> idx_bytes(std::size_t n, std::size_t rows, std::size_t cols) {
  std::string images = be32(0x803) + be32(n) + be32(rows) + be32(cols), labels = be32(0x801) + be32(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < rows * cols; ++k) images.push_back(char((7 * i + k) % 256));
    labels.push_back(char(i % 10));
  }
  return {images, labels};
}

bool refused(const std::string& images, const std::string& labels, const std::string& why) {
  try {
    fp::read_idx(images, labels);
  } catch (const fp::DataError& e) {
    return std::string(e.what()).find(why) != std::string::npos;
  }
  return false;
}

// Three separable-ish blobs in [0, 1]^d, labels 0, 1, 2.
fp::Images blobs(std::size_t n, std::size_t d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.08f);
  fp::Images s;
  s.n = n;
  s.d = d;
  for (std::size_t i = 0; i < n; ++i) {
    const int label = int(i % 3);
    for (std::size_t j = 0; j < d; ++j) {
      const float centre = j % 3 == std::size_t(label) ? 0.75f : 0.25f;
      s.x.push_back(std::min(1.0f, std::max(0.0f, centre + noise(rng))));
    }
    s.y.push_back(label);
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(idx_round_trips_plain_and_gzip) {
  TempDir dir("advdir-fp-");
  const auto [images, labels] = idx_bytes(5, 3, 4);
  for (bool gzip : {false, true}) {
    write(dir / "i", images, gzip);
    write(dir / "l", labels, gzip);
    const fp::Images s = fp::read_idx(dir / "i", dir / "l");
    BOOST_TEST(s.n == 5u);
    BOOST_TEST(s.d == 12u);
    BOOST_TEST(s.y[3] == 3);
    BOOST_TEST(s.row(2)[5] == float((7 * 2 + 5) % 256) / 255.0f);
  }
}

BOOST_AUTO_TEST_CASE(corrupt_idx_files_are_refused_naming_the_file) {
  TempDir dir("advdir-fp-");
  const auto [images, labels] = idx_bytes(4, 2, 2);
  write(dir / "l", labels, false);
  write(dir / "short", images.substr(0, images.size() - 3), false);
  BOOST_TEST(refused(dir / "short", dir / "l", "short: truncated: 13 of 16 bytes"));
  write(dir / "long", images + "xy", false);
  BOOST_TEST(refused(dir / "long", dir / "l", "2 trailing bytes"));
  write(dir / "magic", be32(0x801) + images.substr(4), false);
  BOOST_TEST(refused(dir / "magic", dir / "l", "not an IDX image file"));
  write(dir / "i", images, false);
  write(dir / "three", be32(0x801) + be32(3) + "abc", false);
  BOOST_TEST(refused(dir / "i", dir / "three", "3 labels for 4 images"));
  BOOST_TEST(refused(dir / "missing", dir / "l", "missing: cannot open"));
  write(dir / "bad.gz", std::string("\x1f\x8b\x08\x00garbage", 12), false);
  BOOST_TEST(refused(dir / "bad.gz", dir / "l", "bad.gz"));
}

// The LIBLINEAR file the trainer writes, read back exactly by the bridge, predicts as the
// trainer does on every training point (3 classes: one-vs-rest; 2 classes: one w).
BOOST_AUTO_TEST_CASE(liblinear_models_round_trip_through_the_exact_reader) {
  TempDir dir("advdir-fp-");
  for (std::size_t classes : {3u, 2u}) {
    fp::Images train = blobs(90, 6, 4);
    if (classes == 2) {
      std::vector<std::size_t> keep;
      for (std::size_t i = 0; i < train.n; ++i)
        if (train.y[i] < 2) keep.push_back(i);
      train = train.subset(keep);
    }
    const fp::LinearSvm svm(train);
    BOOST_TEST(svm.classes() == classes);
    svm.save(dir / "m.model");
    BOOST_TEST(!std::filesystem::exists(dir / "m.model.tmp"));
    const exact::MulticlassModel exact_model = bridge::read_liblinear_multiclass(dir / "m.model", train.d);
    std::size_t agree = 0, correct = 0;
    for (std::size_t i = 0; i < train.n; ++i) {
      exact::Vector x;
      for (std::size_t j = 0; j < train.d; ++j) x.emplace_back(double(train.row(i)[j]));
      agree += exact_model.label(x) == svm.predict(train.row(i));
      correct += svm.predict(train.row(i)) == train.y[i];
    }
    BOOST_TEST(agree == train.n);
    BOOST_TEST(correct > train.n * 9 / 10);
  }
}

// Every perturbation stays within eps of its image and inside [0, 1]; PGD never ends below
// its start on its own loss; accuracy falls with eps, and the SVM's own PGD hurts it more
// than random signs of the same size.
BOOST_AUTO_TEST_CASE(attack_invariants) {
  const fp::Images train = blobs(150, 12, 1), test = blobs(60, 12, 2);
  const fp::LinearSvm svm(train);
  const fp::SvmLoss loss(svm);
  auto accuracy = [&](const std::vector<float>& z) {
    std::size_t ok = 0;
    for (std::size_t i = 0; i < test.n; ++i) ok += svm.predict(z.data() + i * test.d) == test.y[i];
    return double(ok) / double(test.n);
  };
  double last = accuracy(test.x);
  for (float eps : {0.05f, 0.15f, 0.3f}) {
    std::vector<double> acc;
    for (fp::Attack kind : {fp::Attack::pgd, fp::Attack::fgsm, fp::Attack::random_sign, fp::Attack::random_uniform}) {
      const std::vector<float> z = fp::perturb(&loss, test, kind, {eps, 40, 0.01f, 7});
      for (std::size_t k = 0; k < z.size(); ++k) {
        BOOST_TEST(z[k] >= 0.0f);
        BOOST_TEST(z[k] <= 1.0f);
        BOOST_TEST(std::abs(double(z[k]) - double(test.x[k])) <= double(eps) * (1 + 1e-6));
      }
      if (kind == fp::Attack::pgd) {
        std::vector<float> before(test.n), after(test.n);
        loss.loss(test.x.data(), test.y.data(), test.n, before.data(), nullptr);
        loss.loss(z.data(), test.y.data(), test.n, after.data(), nullptr);
        for (std::size_t i = 0; i < test.n; ++i) BOOST_TEST(after[i] >= before[i]);
      }
      acc.push_back(accuracy(z));
    }
    BOOST_TEST(acc[0] <= last);
    BOOST_TEST(acc[0] <= acc[2], "eps " << eps << ": PGD " << acc[0] << ", random signs " << acc[2]);
    if (eps > 0.2f) BOOST_TEST(acc[0] < acc[2]);
    last = acc[0];
  }
  BOOST_TEST(last < 0.5);
  BOOST_CHECK_THROW(fp::attack_from_name("cw"), fp::DataError);
}
