#include "journal/case_dir.h"

#include <nlohmann/json.hpp>
#include <system_error>

#include "core/fs.h"

namespace cordon::journal {
namespace {

constexpr std::size_t kMaxCaseIdLength = 64;

bool IsCaseIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// The value quoted and escaped, so control characters in bad input never reach the terminal.
std::string Quoted(std::string_view value) {
  return nlohmann::json(std::string(value))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status CreateIfMissing(const std::filesystem::path& dir) {
  std::error_code error;
  if (std::filesystem::is_directory(dir, error)) {
    return {};
  }
  if (std::filesystem::exists(dir, error)) {
    return Fail(ErrorKind::kIo, "cannot use " + dir.string() + " as a folder: it is a file");
  }
  return EnsureDirectory(dir, 0700);
}

}  // namespace

Status ValidateCaseId(std::string_view case_id) {
  bool valid =
      !case_id.empty() && case_id.size() <= kMaxCaseIdLength && case_id != "." && case_id != "..";
  for (char c : case_id) {
    valid = valid && IsCaseIdChar(c);
  }
  if (valid) {
    return {};
  }
  return Fail(ErrorKind::kInvalidInput,
              "invalid --case " + Quoted(case_id) +
                  ": expected [A-Za-z0-9._-]{1,64} (letters, digits, '.', '_', '-'; at most 64), "
                  "not \".\" or \"..\"");
}

Result<CaseDir> CaseDir::At(const std::filesystem::path& home, std::string_view case_id) {
  if (auto valid = ValidateCaseId(case_id); !valid) {
    return Fail(valid.error());
  }
  if (home.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "no cordon home folder given for case " + std::string(case_id));
  }
  return CaseDir(std::string(case_id), home / "cases" / std::string(case_id));
}

Status CaseDir::Create() const {
  for (const auto& dir :
       {root_.parent_path().parent_path(), root_.parent_path(), root_, evidence_dir()}) {
    if (auto created = CreateIfMissing(dir); !created) {
      return created;
    }
  }
  return {};
}

}  // namespace cordon::journal
