// Reading finding documents, shared by the GuardDuty and Security Hub parsers (internal to
// planning/): JSON values with their path in the document, strict checks of strings and ids
// that name the field and the expected form, and the targets an access key's holder or a
// Lambda ARN gives. Pure functions over const JSON; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "planning/findings.h"
#include "planning/target.h"

namespace cordon::planning::finding_json {

using nlohmann::json;

// A JSON value with its path in the document (e.g. "Findings[0].Resources[1].Id"). `value` is
// null when the field is absent or JSON null (every nested block is optional). `pascal` is the
// document's spelling at this level, so an absent field is named as the document would spell it.
struct Field {
  const json* value = nullptr;
  std::string path;
  bool pascal = false;
};

// What reading part of a finding gave: targets to contain, and notes on what was not.
struct Contained {
  std::vector<Target> targets;
  std::vector<std::string> notes;

  void Add(Contained other);
};

// The document itself (path "").
Field Root(const json& document);

// parent.key, looked up as spelled (camelCase) or with its first letter upper-cased.
Field Child(const Field& parent, std::string_view key);

// parent.key spelled exactly (keys such as "detail-type" or "aws/guardduty/service/archived").
Field ExactChild(const Field& parent, const std::string& key);

// Element `index` of a list field; its value is never null (a JSON null element is kept).
Field Item(const Field& list, size_t index);

// "an object", "a list", "a string", …: how a message names a JSON value's type.
const char* TypeName(const json& value);

// "<path>: expected <expected>, got <type of the value>".
tl::unexpected<Error> WrongType(const Field& field, const std::string& expected);

// The field when it is absent or of the named type; a WrongType error otherwise.
Result<Field> ObjectField(const Field& parent, std::string_view key);
Result<Field> ListField(const Field& parent, std::string_view key);
Result<std::optional<std::string>> StringField(const Field& field);

// false when absent.
Result<bool> BoolField(const Field& parent, std::string_view key);

// The text as JSON would quote it, with control characters escaped.
std::string Quoted(std::string_view text);

// What keeps `text` from being a word (1-512 printable ASCII characters, no white space), e.g.
// "a space at character 31", or nullopt when it is one.
std::optional<std::string> WordProblem(std::string_view text);

// A required word (a finding's Id or Type): "<path>: missing; expected …" when absent,
// "<path>: expected …, got "…" (a space at character 3)" when malformed.
Result<std::string> RequiredWord(const Field& field, const std::string& expected);

// The id of `kind` in `field`, validated (planning/target_ref.h); nullopt when absent.
Result<std::optional<std::string>> IdField(const Field& field, TargetKind kind);

// Parses one JSON document. A syntax error names its byte offset, line and column (never the
// text around it) and ends with "; expected " + `expected`.
Result<json> ParseJson(std::string_view text, std::string_view expected);

// The findings in document order, a repeated id kept once (its first copy, with a note).
FindingSet CollectOnce(std::vector<Finding> findings);

// An access key and who holds it, as a finding names them.
struct KeyHolder {
  std::optional<std::string> key;  // the key id, validated, when the finding names one
  std::string key_path;            // where the key id is or would be, for notes
  std::string details_path;        // the block that describes the key, for notes
  Field type;                      // the principal type: IAMUser, AssumedRole, Root, …
  Field name;                      // the user name, or the role name of an AssumedRole key
  std::string account;
  std::string name_source;  // e.g. "GuardDuty gives an assumed role's name as the user name"
  bool instance_credentials = false;  // a role session even when no type is given
};

// IAMUser keys name the key (with its user), or the user when no key id is given; AssumedRole
// keys name the role; Root and other principal types name nothing. Every case without a target
// says why in a note. Fails when the name is malformed for its type.
Result<Contained> ContainKeyHolder(const KeyHolder& holder);

// The function a Lambda function ARN names (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME).
// A version or alias qualifier (":3", ":$LATEST", ":live") is read as the whole function, with a
// note; anything else malformed fails with "<path>: " and target_ref's reason.
Result<Contained> ContainFunctionArn(const std::string& path, const std::string& arn);

}  // namespace cordon::planning::finding_json
