#include "journal/evidence.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/crypto.h"
#include "core/fs.h"

namespace cordon::journal {
namespace {

constexpr std::size_t kMaxNameLength = 128;
constexpr int kMaxRenames = 10000;
constexpr std::string_view kManifestName = "manifest.json";

// An exclusive flock on a folder, released when it goes out of scope.
class FolderLock {
 public:
  static Result<std::unique_ptr<FolderLock>> Acquire(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return Fail(ErrorKind::kIo, "cannot open " + dir.string() + ": " + std::strerror(errno));
    }
    auto lock = std::unique_ptr<FolderLock>(new FolderLock(fd));
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        return Fail(ErrorKind::kIo, "cannot lock " + dir.string() + ": " + std::strerror(errno));
      }
    }
    return lock;
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  FolderLock(FolderLock&&) = delete;
  FolderLock& operator=(FolderLock&&) = delete;
  ~FolderLock() { ::close(fd_); }

 private:
  explicit FolderLock(int fd) : fd_(fd) {}
  int fd_;
};

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// "<stem>-<n><ext>" for name "<stem><ext>", where ext starts at the last dot.
std::string NumberedName(const std::string& name, int n) {
  const auto dot = name.rfind('.');
  const bool has_ext = dot != std::string::npos && dot != 0;
  const std::string stem = has_ext ? name.substr(0, dot) : name;
  const std::string ext = has_ext ? name.substr(dot) : "";
  return stem + "-" + std::to_string(n) + ext;
}

nlohmann::json ManifestJson(const std::vector<EvidenceEntry>& entries) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& entry : entries) {
    files.push_back({{"name", entry.name},
                     {"sha256", entry.sha256},
                     {"size", entry.size},
                     {"stored_at", entry.stored_at}});
  }
  return {{"files", files}, {"version", 1}};
}

Result<EvidenceEntry> EntryFromJson(const nlohmann::json& file) {
  const bool valid = file.is_object() && file.contains("name") && file["name"].is_string() &&
                     file.contains("sha256") && file["sha256"].is_string() &&
                     file.contains("size") && file["size"].is_number_unsigned() &&
                     file.contains("stored_at") && file["stored_at"].is_string();
  if (!valid) {
    return Fail(ErrorKind::kCorrupt, "an entry lacks name, sha256, size or stored_at");
  }
  return EvidenceEntry{file["name"].get<std::string>(), file["sha256"].get<std::string>(),
                       file["size"].get<std::uint64_t>(), file["stored_at"].get<std::string>()};
}

}  // namespace

Status ValidateEvidenceName(std::string_view name) {
  bool valid = !name.empty() && name.size() <= kMaxNameLength && name.front() != '.' &&
               name != kManifestName;
  for (char c : name) {
    valid = valid && IsNameChar(c);
  }
  if (valid) {
    return {};
  }
  return Fail(ErrorKind::kInvalidInput,
              "invalid evidence file name " +
                  nlohmann::json(std::string(name))
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                  ": expected one file name of [A-Za-z0-9._-], 1 to 128 characters, not "
                  "starting with '.' and not manifest.json");
}

std::string EvidenceFileName(std::string_view wanted) {
  if (ValidateEvidenceName(wanted)) {
    return std::string(wanted);
  }
  const auto dot = wanted.rfind('.');
  const bool has_extension = dot != std::string_view::npos && dot > 0 && wanted.size() - dot <= 8;
  std::string extension(has_extension ? wanted.substr(dot) : std::string_view());
  std::string stem(has_extension ? wanted.substr(0, dot) : wanted);
  for (char& c : extension) {
    c = IsNameChar(c) ? c : '_';
  }
  for (char& c : stem) {
    c = IsNameChar(c) ? c : '_';
  }
  if (stem.empty() || stem.front() == '.') {
    stem.insert(0, "x");
  }
  const std::string suffix = "-" + Sha256Hex(wanted).substr(0, 12) + extension;
  stem.resize(std::min(stem.size(), kMaxNameLength - suffix.size()));
  return stem + suffix;
}

Result<std::vector<EvidenceEntry>> ReadManifest(const CaseDir& case_dir) {
  const auto path = case_dir.evidence_manifest();
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return std::vector<EvidenceEntry>();
  }
  auto text = ReadFile(path);
  if (!text) {
    return Fail(text.error());
  }
  const auto manifest = nlohmann::json::parse(*text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_array()) {
    return Fail(ErrorKind::kCorrupt, path.string() + " is not an evidence manifest");
  }
  std::vector<EvidenceEntry> entries;
  for (const auto& file : manifest["files"]) {
    auto entry = EntryFromJson(file);
    if (!entry) {
      return Fail(ErrorKind::kCorrupt, path.string() + ": " + entry.error().message);
    }
    entries.push_back(std::move(*entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const EvidenceEntry& a, const EvidenceEntry& b) { return a.name < b.name; });
  return entries;
}

Result<EvidenceEntry> EvidenceStore::Put(std::string_view name, std::string_view content) {
  if (auto valid = ValidateEvidenceName(name); !valid) {
    return Fail(valid.error());
  }
  const std::string sha256 = Sha256Hex(content);

  std::lock_guard guard(mutex_);
  if (auto created = case_dir_.Create(); !created) {
    return Fail(created.error());
  }
  auto lock = FolderLock::Acquire(case_dir_.evidence_dir());
  if (!lock) {
    return Fail(lock.error());
  }
  auto entries = ReadManifest(case_dir_);
  if (!entries) {
    return Fail(entries.error());
  }

  std::string chosen;
  for (int n = 1; n <= kMaxRenames && chosen.empty(); ++n) {
    const std::string candidate = n == 1 ? std::string(name) : NumberedName(std::string(name), n);
    auto listed = std::find_if(entries->begin(), entries->end(),
                               [&](const EvidenceEntry& e) { return e.name == candidate; });
    if (listed != entries->end() && listed->sha256 == sha256) {
      return *listed;
    }
    std::error_code error;
    const bool on_disk = std::filesystem::exists(case_dir_.evidence_dir() / candidate, error);
    if (listed == entries->end() && !on_disk) {
      chosen = candidate;
    }
  }
  if (chosen.empty()) {
    return Fail(ErrorKind::kConflict,
                "no free evidence file name derived from " + std::string(name));
  }

  EvidenceEntry entry{chosen, sha256, content.size(), FormatRfc3339Millis(clock_.Now())};
  if (auto written = WriteFileAtomic(case_dir_.evidence_dir() / chosen, content, 0400); !written) {
    return Fail(written.error());
  }
  entries->push_back(entry);
  std::sort(entries->begin(), entries->end(),
            [](const EvidenceEntry& a, const EvidenceEntry& b) { return a.name < b.name; });
  if (auto written =
          WriteFileAtomic(case_dir_.evidence_manifest(), ManifestJson(*entries).dump(2) + "\n");
      !written) {
    return Fail(written.error());
  }
  return entry;
}

}  // namespace cordon::journal
