// The folder of one case on disk (PRODUCT.md §6):
//   $CORDON_HOME/cases/<CASE>/journal.db, journal.head, plan.json, evidence/,
//   evidence/manifest.json
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cordon::journal {

// Checks that `case_id` matches [A-Za-z0-9._-]{1,64} and is not "." or "..". Fails with
// kInvalidInput naming --case, the bad value and the expected form.
Status ValidateCaseId(std::string_view case_id);

// The paths of one case's folder. Building one creates nothing; Create() makes the folders.
// Thread-compatible: an immutable value after construction.
class CaseDir {
 public:
  // The case `case_id` under `home` (home/cases/<case_id>). Fails with kInvalidInput when the id
  // is invalid (see ValidateCaseId) or `home` is empty.
  static Result<CaseDir> At(const std::filesystem::path& home, std::string_view case_id);

  const std::string& case_id() const { return case_id_; }
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path journal_db() const { return root_ / "journal.db"; }
  // The journal's head ({"hash":H,"seq":N}), kept outside the database to detect truncation.
  std::filesystem::path journal_head() const { return root_ / "journal.head"; }
  std::filesystem::path plan_json() const { return root_ / "plan.json"; }
  std::filesystem::path evidence_dir() const { return root_ / "evidence"; }
  std::filesystem::path evidence_manifest() const { return evidence_dir() / "manifest.json"; }

  // Creates the home, cases, case and evidence folders that are missing, each with mode 0700;
  // existing folders keep their mode. Fails with kIo naming the folder.
  Status Create() const;

 private:
  CaseDir(std::string case_id, std::filesystem::path root)
      : case_id_(std::move(case_id)), root_(std::move(root)) {}

  std::string case_id_;
  std::filesystem::path root_;
};

}  // namespace cordon::journal
