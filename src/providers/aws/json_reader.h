// Reading JSON-protocol responses (JSON 1.1 and REST-JSON) field by field. Internal to the AWS
// clients.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"

namespace cordon::aws {

// Reads the fields of one response and remembers the first problem, so that a parser can read
// every field and report once. Never throws, whatever the JSON holds. An absent member and a
// JSON null are the same: absent. Not thread-safe: one reader serves one response.
class JsonReader {
 public:
  // `operation` names the call in messages, e.g. "lambda:GetPolicy".
  JsonReader(std::string operation, std::string request_id)
      : operation_(std::move(operation)), request_id_(std::move(request_id)) {}

  // The string member `key` of `object`; "" when absent; another type is a problem.
  std::string String(const nlohmann::json& object, std::string_view key);
  // The string member `key`; absent or empty is a problem ("`what` has no `key`").
  std::string Required(const nlohmann::json& object, std::string_view key, std::string_view what);
  // An integer member; nullopt when absent; a non-integer is a problem.
  std::optional<std::int64_t> Int(const nlohmann::json& object, std::string_view key);
  // A number member (integer or not, e.g. epoch seconds); nullopt when absent.
  std::optional<double> Number(const nlohmann::json& object, std::string_view key);
  // A boolean member; nullopt when absent.
  std::optional<bool> Bool(const nlohmann::json& object, std::string_view key);
  // An object member; a JSON null when absent; another type is a problem (and gives null).
  const nlohmann::json& Object(const nlohmann::json& object, std::string_view key);
  // An array member; an empty array when absent; another type is a problem.
  const nlohmann::json& Array(const nlohmann::json& object, std::string_view key);

  // Records a problem (only the first one is kept).
  void Problem(std::string message);

  bool Ok() const { return !problem_; }
  // The first problem as a kProvider Error carrying the request id. Only when !Ok().
  Error ToError() const;
  // `value` when no problem was recorded, else the first problem.
  template <typename T>
  Result<T> Finish(T value) const {
    if (!Ok()) {
      return tl::unexpected(ToError());
    }
    return value;
  }

 private:
  // The member, or nullptr when `object` is not an object or the member is absent or null.
  const nlohmann::json* Member(const nlohmann::json& object, std::string_view key);

  std::string operation_;
  std::string request_id_;
  std::optional<std::string> problem_;
};

// One page of a paginated JSON list.
template <typename T>
struct JsonPage {
  std::vector<T> items;
  std::string next_token;  // empty on the last page
  std::string request_id;
};

// Calls `fetch_page(token)` with "" and then with each page's next token until a page has none,
// concatenating the items. A page that fails fails the whole list (never a partial list); a
// token that repeats is a kProvider error rather than an endless loop. `operation` names the
// call in messages.
template <typename T, typename FetchPage>
Result<std::vector<T>> CollectPages(std::string_view operation, FetchPage fetch_page) {
  std::vector<T> all;
  std::set<std::string> seen_tokens;
  std::string token;
  for (int page_number = 1;; ++page_number) {
    Result<JsonPage<T>> page = fetch_page(token);
    if (!page) {
      Error error = page.error();
      if (page_number > 1) {
        error.message = std::string(operation) + " page " + std::to_string(page_number) +
                        " failed, so the list is incomplete: " + error.message;
      }
      return tl::unexpected(std::move(error));
    }
    for (auto& item : page->items) {
      all.push_back(std::move(item));
    }
    if (page->next_token.empty()) {
      return all;
    }
    if (!seen_tokens.insert(page->next_token).second) {
      return tl::unexpected(
          Error{ErrorKind::kProvider,
                std::string(operation) + " returned the same pagination token twice",
                {},
                page->request_id,
                0,
                false});
    }
    token = std::move(page->next_token);
  }
}

// The body of a REST-JSON response parsed as an object ({} for an empty body); a body that is
// not a JSON object is a kProvider error naming `operation`. Never throws.
Result<nlohmann::json> ParseJsonBody(const RestResponse& response, std::string_view operation);

}  // namespace cordon::aws
