#include "journal/verify.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/crypto.h"
#include "core/fs.h"
#include "journal/chain.h"
#include "journal/evidence.h"
#include "journal/journal.h"
#include "journal/store.h"

namespace cordon::journal {
namespace {

JournalVerification Failed(JournalVerification result, std::int64_t seq, std::string reason) {
  result.ok = false;
  result.first_bad_seq = seq;
  result.reason = std::move(reason);
  return result;
}

// What a journal evidence record says was stored.
struct JournaledFile {
  std::int64_t seq = 0;
  std::string name;
  std::string sha256;
};

// The files the journal's evidence records name. nullopt when the journal cannot be read as a
// database; VerifyJournal reports that.
Result<std::optional<std::vector<JournaledFile>>> JournaledFiles(const CaseDir& case_dir) {
  using Files = std::optional<std::vector<JournaledFile>>;
  std::error_code error;
  if (!std::filesystem::exists(case_dir.journal_db(), error)) {
    return Files(std::vector<JournaledFile>());
  }
  auto db = internal::OpenDatabase(case_dir.journal_db(), internal::OpenMode::kReadOnly);
  auto records = db ? internal::ReadRecordsOfKind(db->get(), RecordKindName(RecordKind::kEvidence))
                    : Result<std::vector<internal::StoredRecord>>(Fail(db.error()));
  if (!records) {
    if (records.error().kind == ErrorKind::kCorrupt) {
      return Files();
    }
    return Fail(records.error());
  }
  std::vector<JournaledFile> files;
  for (const auto& record : *records) {
    const auto detail = nlohmann::json::parse(record.detail, nullptr, false);
    if (detail.is_object() && detail.contains("file") && detail["file"].is_string() &&
        detail.contains("sha256") && detail["sha256"].is_string()) {
      files.push_back(
          {record.seq, detail["file"].get<std::string>(), detail["sha256"].get<std::string>()});
    }
  }
  return Files(std::move(files));
}

// A file WriteFileAtomic was writing when a process stopped: ".<name>.tmp-<n>".
bool IsLeftoverTemporary(const std::string& name) {
  return !name.empty() && name.front() == '.' && name.find(".tmp-") != std::string::npos;
}

// Re-hashes the listed files: the count checked and the problems found.
EvidenceVerification CheckListedFiles(const CaseDir& case_dir,
                                      const std::vector<EvidenceEntry>& entries) {
  EvidenceVerification result;
  for (const auto& entry : entries) {
    if (!ValidateEvidenceName(entry.name)) {
      result.problems.push_back({entry.name, EvidenceProblemKind::kBadManifest,
                                 "the manifest lists a name that is not a plain file name"});
      continue;
    }
    const auto path = case_dir.evidence_dir() / entry.name;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      result.problems.push_back({entry.name, EvidenceProblemKind::kMissing,
                                 "listed with sha256 " + entry.sha256 + " but the file is gone"});
      continue;
    }
    auto content = ReadFile(path);
    ++result.files_checked;
    if (!content) {
      result.problems.push_back({entry.name, EvidenceProblemKind::kModified,
                                 "cannot be read: " + content.error().message});
      continue;
    }
    const std::string sha256 = Sha256Hex(*content);
    if (sha256 != entry.sha256 || content->size() != entry.size) {
      result.problems.push_back({entry.name, EvidenceProblemKind::kModified,
                                 "sha256 is " + sha256 + " (" + std::to_string(content->size()) +
                                     " bytes); the manifest lists " + entry.sha256 + " (" +
                                     std::to_string(entry.size) + " bytes)"});
    }
  }
  return result;
}

std::vector<EvidenceProblem> CheckUnlistedFiles(const CaseDir& case_dir,
                                                const std::vector<EvidenceEntry>& entries) {
  std::vector<EvidenceProblem> problems;
  std::set<std::string> listed;
  for (const auto& entry : entries) {
    listed.insert(entry.name);
  }
  std::error_code error;
  for (const auto& item : std::filesystem::directory_iterator(case_dir.evidence_dir(), error)) {
    const std::string name = item.path().filename().string();
    if (name == "manifest.json" || IsLeftoverTemporary(name) || listed.count(name) != 0) {
      continue;
    }
    problems.push_back(
        {name, EvidenceProblemKind::kUnlisted, "in evidence/ but not in the manifest"});
  }
  return problems;
}

std::vector<EvidenceProblem> CheckAgainstJournal(const std::vector<EvidenceEntry>& entries,
                                                 const std::vector<JournaledFile>& journaled) {
  std::vector<EvidenceProblem> problems;
  std::map<std::string, const EvidenceEntry*> by_name;
  for (const auto& entry : entries) {
    by_name[entry.name] = &entry;
  }
  std::set<std::string> vouched;
  for (const auto& file : journaled) {
    vouched.insert(file.name);
    auto listed = by_name.find(file.name);
    const std::string seq = "journal record seq " + std::to_string(file.seq);
    if (listed == by_name.end()) {
      problems.push_back(
          {file.name, EvidenceProblemKind::kMissing,
           seq + " stored it with sha256 " + file.sha256 + " but the manifest does not list it"});
    } else if (listed->second->sha256 != file.sha256) {
      problems.push_back({file.name, EvidenceProblemKind::kModified,
                          seq + " stored it with sha256 " + file.sha256 + "; the manifest lists " +
                              listed->second->sha256});
    }
  }
  for (const auto& entry : entries) {
    if (vouched.count(entry.name) == 0) {
      problems.push_back(
          {entry.name, EvidenceProblemKind::kNotJournaled,
           "no evidence record in the journal lists it (sha256 " + entry.sha256 + ")" +
               " (stored but never journaled: a run stopped in between, or it was added "
               "outside cordon)"});
    }
  }
  return problems;
}

}  // namespace

Result<JournalVerification> VerifyJournal(const CaseDir& case_dir) {
  std::error_code error;
  if (!std::filesystem::exists(case_dir.journal_db(), error)) {
    return Fail(ErrorKind::kNotFound, "no journal at " + case_dir.journal_db().string());
  }
  JournalVerification result;

  // The head first: appends update it after committing, so a concurrent append can only make it
  // lag behind the records read next, which CheckHead accepts.
  auto head = internal::ReadHead(case_dir.journal_head());
  if (!head && head.error().kind != ErrorKind::kCorrupt) {
    return Fail(head.error());
  }
  auto db = internal::OpenDatabase(case_dir.journal_db(), internal::OpenMode::kReadOnly);
  auto records = db ? internal::ReadRecords(db->get())
                    : Result<std::vector<internal::StoredRecord>>(Fail(db.error()));
  if (!records) {
    if (records.error().kind == ErrorKind::kCorrupt) {
      return Failed(result, 0, "journal.db is damaged: " + records.error().message);
    }
    return Fail(records.error());
  }

  result.records = records->size();
  result.head_hash = records->empty() ? "" : records->back().hash;
  if (auto chain = internal::CheckChain(*records); !chain.ok) {
    return Failed(result, chain.first_bad_seq, chain.reason);
  }
  // A journal copied into another case's folder chains intact but is not that case's record.
  for (const auto& record : *records) {
    if (record.case_id != case_dir.case_id()) {
      return Failed(result, record.seq,
                    "record seq " + std::to_string(record.seq) + " belongs to case \"" +
                        record.case_id + "\", not to case \"" + case_dir.case_id() +
                        "\" whose folder holds it");
    }
  }
  if (!head) {
    return Failed(result, 0, head.error().message);
  }
  if (auto head_check = internal::CheckHead(*records, *head); !head_check.ok) {
    return Failed(result, head_check.first_bad_seq, head_check.reason);
  }
  result.ok = true;
  return result;
}

const char* EvidenceProblemKindName(EvidenceProblemKind kind) {
  switch (kind) {
    case EvidenceProblemKind::kMissing:
      return "missing";
    case EvidenceProblemKind::kModified:
      return "modified";
    case EvidenceProblemKind::kUnlisted:
      return "unlisted";
    case EvidenceProblemKind::kNotJournaled:
      return "not-journaled";
    case EvidenceProblemKind::kBadManifest:
      return "bad-manifest";
  }
  return "modified";
}

Result<EvidenceVerification> VerifyEvidence(const CaseDir& case_dir) {
  EvidenceVerification result;
  auto entries = ReadManifest(case_dir);
  if (!entries && entries.error().kind != ErrorKind::kCorrupt) {
    return Fail(entries.error());
  }
  if (!entries) {
    result.problems.push_back(
        {"manifest.json", EvidenceProblemKind::kBadManifest, entries.error().message});
  }
  const std::vector<EvidenceEntry> listed = entries ? *entries : std::vector<EvidenceEntry>();
  auto journaled = JournaledFiles(case_dir);
  if (!journaled) {
    return Fail(journaled.error());
  }

  auto checked = CheckListedFiles(case_dir, listed);
  result.files_checked = checked.files_checked;
  std::vector<EvidenceProblem> problems = std::move(checked.problems);
  for (auto& problem : CheckUnlistedFiles(case_dir, listed)) {
    problems.push_back(std::move(problem));
  }
  if (journaled->has_value()) {
    for (auto& problem : CheckAgainstJournal(listed, **journaled)) {
      problems.push_back(std::move(problem));
    }
  }
  result.problems.insert(result.problems.end(), problems.begin(), problems.end());
  std::stable_sort(
      result.problems.begin(), result.problems.end(),
      [](const EvidenceProblem& a, const EvidenceProblem& b) { return a.name < b.name; });
  result.ok = result.problems.empty();
  return result;
}

}  // namespace cordon::journal
