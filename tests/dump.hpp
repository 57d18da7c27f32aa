// Certificates a test judges, written out for tests/vcheck_agrees.sh: when the
// environment names ADVDIR_DUMP_CERTIFICATES, each one goes there as THEOREM-N.json
// (inline data, so each file stands alone).
#pragma once
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

inline void dump_certificate(const nlohmann::json& cert) {
  static std::size_t counter = 0;
  const char* dir = std::getenv("ADVDIR_DUMP_CERTIFICATES");
  if (!dir) return;
  std::filesystem::create_directories(dir);
  const auto theorem = cert.contains("theorem") && cert["theorem"].is_string() ? cert["theorem"].get<std::string>() : "none";
  std::ofstream(std::filesystem::path(dir) / (theorem + "-" + std::to_string(counter++) + ".json")) << cert.dump();
}
