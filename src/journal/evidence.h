// Evidence files of a case (PRODUCT.md §6): evidence/<name>, each listed with its SHA-256 in
// evidence/manifest.json. Evidence is never overwritten.
//
// manifest.json: {"files":[{"name":N,"sha256":H,"size":S,"stored_at":T}, ...],"version":1},
// files sorted by name, stored_at UTC RFC 3339 with milliseconds.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "journal/case_dir.h"

namespace cordon::journal {

// One file as the manifest lists it.
struct EvidenceEntry {
  std::string name;        // file name inside evidence/
  std::string sha256;      // lower-case hex of the content
  std::uint64_t size = 0;  // bytes
  std::string stored_at;   // UTC, RFC 3339 with milliseconds
};

// Checks that `name` is a single file name of [A-Za-z0-9._-], 1 to 128 characters, not starting
// with '.' and not "manifest.json". Fails with kInvalidInput naming the bad value.
Status ValidateEvidenceName(std::string_view name);

// A valid evidence file name for `wanted` (e.g. "iam-user-" + a name + ".json"): `wanted` itself
// when it is valid; otherwise its extension kept, every other character outside [A-Za-z0-9._-]
// replaced by '_', the rest cut to fit, and "-" plus 12 hex digits of the SHA-256 of `wanted`
// added, so names that differ only in such characters (IAM allows "+=,@") never collide.
std::string EvidenceFileName(std::string_view wanted);

// The entries of the manifest of `case_dir`, sorted by name; empty when there is no manifest.
// Fails with kCorrupt when the manifest is not the documented shape, kIo when unreadable.
Result<std::vector<EvidenceEntry>> ReadManifest(const CaseDir& case_dir);

// Stores evidence files of one case. Thread-safe; concurrent processes are serialized by an
// advisory lock (flock) on the evidence folder.
class EvidenceStore {
 public:
  // `clock` stamps stored_at and must outlive the store.
  explicit EvidenceStore(CaseDir case_dir, const Clock& clock = DefaultClock())
      : case_dir_(std::move(case_dir)), clock_(clock) {}

  // Stores `content` as evidence/<name> (mode 0400, written atomically) and lists it in the
  // manifest (rewritten atomically), creating the folders when missing. Storing content that is
  // already listed under `name` (or under a name Put derived from it) changes nothing and
  // returns that entry; different content under a taken name is stored under a new name
  // "<stem>-2<ext>", "<stem>-3<ext>", ... (the returned entry's name). Fails with kInvalidInput
  // for a bad name (see ValidateEvidenceName), kCorrupt for an unreadable manifest, kIo when a
  // file cannot be written.
  Result<EvidenceEntry> Put(std::string_view name, std::string_view content);

 private:
  const CaseDir case_dir_;
  const Clock& clock_;
  std::mutex mutex_;
};

}  // namespace cordon::journal
