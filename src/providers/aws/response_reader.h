// Reading AWS Query- and EC2-protocol XML responses: lookups by local name, typed fields,
// required elements, pagination and IAM's URL-encoded documents. Internal to the AWS clients.
#pragma once

#include <optional>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"

namespace cordon::aws {

// The element at `path` ("a/b/c") below `node`, matching local names (any namespace prefix is
// ignored); a null node when any step is missing.
pugi::xml_node Child(pugi::xml_node node, std::string_view path);

// The element children of the list element at `path` (EC2 `<item>`s, Query `<member>`s); empty
// when the list is absent.
std::vector<pugi::xml_node> ListItems(pugi::xml_node node, std::string_view path);

// Reads the fields of one response and remembers the first problem, so that a parser can read
// every field and report once. Not thread-safe: one reader serves one response.
class ResponseReader {
 public:
  // `operation` names the call in messages, e.g. "ec2:DescribeInstances".
  ResponseReader(std::string operation, std::string request_id)
      : operation_(std::move(operation)), request_id_(std::move(request_id)) {}

  // The document element of a response to `action`, which must be <ActionResponse> (matched by
  // local name); anything else is a problem and gives a null node.
  pugi::xml_node Root(const QueryResponse& response, std::string_view action);

  // The text at `path`, or "" when the element is absent.
  std::string Text(pugi::xml_node node, std::string_view path) const;
  // The text at `path`; an absent or empty element is a problem ("`what` has no `path`").
  std::string Required(pugi::xml_node node, std::string_view path, std::string_view what);
  // The element at `path`; an absent one is a problem.
  pugi::xml_node RequiredNode(pugi::xml_node node, std::string_view path, std::string_view what);
  // "true" or "false" at `path`; false when absent; any other text is a problem.
  bool Bool(pugi::xml_node node, std::string_view path);
  // A decimal integer at `path`; nullopt when absent; malformed text is a problem.
  std::optional<int> Int(pugi::xml_node node, std::string_view path);

  // Records a problem (only the first one is kept).
  void Problem(std::string message);

  bool Ok() const { return !problem_; }
  // The first problem as an Error of kind kProvider carrying the request id. Only when !Ok().
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
  std::string operation_;
  std::string request_id_;
  std::optional<std::string> problem_;
};

// One page of a paginated list.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty on the last page
};

// Calls `action` and then again with `token_param` set to each page's next token until a page
// has none, concatenating the items. `parse_page` maps a QueryResponse to Result<Page<T>>.
// A page that fails (call or parse) fails the whole list: a partial list is never returned. A
// token that repeats is a kProvider error rather than an endless loop. Thread-safe if `api` is.
template <typename T, typename ParsePage>
Result<std::vector<T>> ReadAllPages(AwsApi& api, std::string_view service, std::string_view action,
                                    const QueryParams& params, std::string_view token_param,
                                    ParsePage parse_page) {
  std::vector<T> all;
  std::set<std::string> seen_tokens;
  std::string token;
  for (int page_number = 1;; ++page_number) {
    QueryParams page_params = params;
    if (!token.empty()) {
      page_params.emplace_back(std::string(token_param), token);
    }
    Result<QueryResponse> response = api.Query(service, action, page_params);
    Result<Page<T>> page = response ? Result<Page<T>>(parse_page(*response))
                                    : Result<Page<T>>(tl::unexpected(response.error()));
    if (!page) {
      Error error = page.error();
      if (page_number > 1) {
        error.message = std::string(action) + " page " + std::to_string(page_number) +
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
      Error error{ErrorKind::kProvider,
                  std::string(action) + " returned the same pagination token twice",
                  {},
                  response->request_id,
                  0,
                  false};
      return tl::unexpected(std::move(error));
    }
    token = page->next_token;
  }
}

// Percent-decodes `text` (RFC 3986). '+' stays '+': IAM encodes a plus sign as %2B, and the AWS
// SDKs decode without turning '+' into a space. A '%' not followed by two hex digits is kept.
std::string PercentDecode(std::string_view text);

// An IAM policy document as returned (URL-encoded) decoded to its JSON text. A document that
// already starts with '{' is returned unchanged: an encoded document cannot start with '{'
// (it is %7B), and some emulators return documents unencoded in some responses.
std::string DecodePolicyDocument(std::string_view text);

}  // namespace cordon::aws
