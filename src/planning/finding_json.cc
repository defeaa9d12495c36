#include "planning/finding_json.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "planning/target_ref.h"

namespace cordon::planning::finding_json {
namespace {

constexpr size_t kMaxWordLength = 512;

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool SpelledPascal(const json& object) {
  if (!object.is_object()) {
    return false;
  }
  return std::any_of(object.items().begin(), object.items().end(), [](const auto& item) {
    return !item.key().empty() && IsUpper(item.key()[0]);
  });
}

std::string Join(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// A version number, $LATEST or an alias name: what may follow function:NAME in an ARN.
bool IsQualifier(std::string_view text) {
  return !text.empty() && text.size() <= 128 &&
         (text == "$LATEST" || std::all_of(text.begin(), text.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
          }));
}

}  // namespace

void Contained::Add(Contained other) {
  for (auto& target : other.targets) {
    if (std::find(targets.begin(), targets.end(), target) == targets.end()) {
      targets.push_back(std::move(target));
    }
  }
  for (auto& note : other.notes) {
    notes.push_back(std::move(note));
  }
}

Field Root(const json& document) { return {&document, "", SpelledPascal(document)}; }

Field Child(const Field& parent, std::string_view key) {
  std::string pascal_key(key);
  pascal_key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(pascal_key[0])));
  if (parent.value != nullptr && parent.value->is_object()) {
    for (const std::string& name : {std::string(key), pascal_key}) {
      auto it = parent.value->find(name);
      if (it != parent.value->end()) {
        return {it->is_null() ? nullptr : &*it, Join(parent.path, name), IsUpper(name[0])};
      }
    }
  }
  return {nullptr, Join(parent.path, parent.pascal ? pascal_key : std::string(key)), parent.pascal};
}

Field ExactChild(const Field& parent, const std::string& key) {
  if (parent.value != nullptr && parent.value->is_object()) {
    auto it = parent.value->find(key);
    if (it != parent.value->end()) {
      return {it->is_null() ? nullptr : &*it, Join(parent.path, key),
              !key.empty() && IsUpper(key[0])};
    }
  }
  return {nullptr, Join(parent.path, key), parent.pascal};
}

Field Item(const Field& list, size_t index) {
  const json& item = (*list.value)[index];
  return {&item, list.path + "[" + std::to_string(index) + "]", SpelledPascal(item)};
}

const char* TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "a list";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "true or false";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

tl::unexpected<Error> WrongType(const Field& field, const std::string& expected) {
  return Fail(ErrorKind::kInvalidInput,
              field.path + ": expected " + expected + ", got " + TypeName(*field.value));
}

Result<Field> ObjectField(const Field& parent, std::string_view key) {
  Field field = Child(parent, key);
  if (field.value != nullptr && !field.value->is_object()) {
    return WrongType(field, "an object");
  }
  return field;
}

Result<Field> ListField(const Field& parent, std::string_view key) {
  Field field = Child(parent, key);
  if (field.value != nullptr && !field.value->is_array()) {
    return WrongType(field, "a list");
  }
  return field;
}

Result<std::optional<std::string>> StringField(const Field& field) {
  if (field.value == nullptr) {
    return std::nullopt;
  }
  if (!field.value->is_string()) {
    return WrongType(field, "a string");
  }
  return field.value->get<std::string>();
}

Result<bool> BoolField(const Field& parent, std::string_view key) {
  Field field = Child(parent, key);
  if (field.value == nullptr) {
    return false;
  }
  if (!field.value->is_boolean()) {
    return WrongType(field, "true or false");
  }
  return field.value->get<bool>();
}

std::string Quoted(std::string_view text) { return json(std::string(text)).dump(); }

std::optional<std::string> WordProblem(std::string_view text) {
  if (text.empty()) {
    return "it is empty";
  }
  if (text.size() > kMaxWordLength) {
    return "it is " + std::to_string(text.size()) + " characters long, at most 512";
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::string where = " at character " + std::to_string(i + 1);
    if (byte == ' ') {
      return "a space" + where;
    }
    if (byte < 0x20 || byte == 0x7f) {
      return "a control character" + where;
    }
    if (byte > 0x7f) {
      return "a non-ASCII character" + where;
    }
  }
  return std::nullopt;
}

Result<std::string> RequiredWord(const Field& field, const std::string& expected) {
  auto text = StringField(field);
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (!*text) {
    return Fail(ErrorKind::kInvalidInput, field.path + ": missing; expected " + expected);
  }
  if (auto problem = WordProblem(**text)) {
    return Fail(ErrorKind::kInvalidInput, field.path + ": expected " + expected + ", got " +
                                              Quoted(**text) + " (" + *problem + ")");
  }
  return **text;
}

Result<std::optional<std::string>> IdField(const Field& field, TargetKind kind) {
  auto id = StringField(field);
  if (!id || !*id) {
    return id;
  }
  if (auto problem = TargetIdProblem(kind, **id)) {
    return Fail(ErrorKind::kInvalidInput,
                field.path + ": expected " + ExpectedIdForm(kind) + "; " + *problem);
  }
  return id;
}

Result<json> ParseJson(std::string_view text, std::string_view expected) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    // Name the position only: the library's own message quotes the input. Its `byte` counts
    // from 1 and points at the offending character.
    const bool ends_early =
        std::string_view(error.what()).find("end of input") != std::string_view::npos;
    const size_t offset =
        ends_early ? text.size() : std::min(text.size(), error.byte == 0 ? 0 : error.byte - 1);
    const std::string_view before = text.substr(0, offset);
    const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    const size_t line_start = before.rfind('\n');
    const size_t column =
        before.size() - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    return Fail(ErrorKind::kInvalidInput,
                std::string("not valid JSON (") +
                    (ends_early ? "the text ends early" : "syntax error") + " at byte offset " +
                    std::to_string(offset) + ", line " + std::to_string(line) + " column " +
                    std::to_string(column) + "); expected " + std::string(expected));
  } catch (const json::exception& error) {
    return Fail(ErrorKind::kInvalidInput,
                std::string("not valid JSON (") +
                    (error.id == 406 ? "a number out of range" : "unreadable") + "); expected " +
                    std::string(expected));
  }
}

FindingSet CollectOnce(std::vector<Finding> findings) {
  FindingSet set;
  std::map<std::string, std::pair<size_t, int>> seen;  // id → (index in set, times sent)
  for (auto& finding : findings) {
    auto [it, fresh] = seen.try_emplace(finding.id, set.findings.size(), 0);
    ++it->second.second;
    if (fresh) {
      set.findings.push_back(std::move(finding));
    }
  }
  for (const auto& [id, entry] : seen) {
    if (entry.second > 1) {
      set.findings[entry.first].notes.push_back("sent " + std::to_string(entry.second) +
                                                " times in this input; planned once");
    }
  }
  return set;
}

Result<Contained> ContainKeyHolder(const KeyHolder& holder) {
  auto user_type = StringField(holder.type);
  if (!user_type) {
    return tl::unexpected(user_type.error());
  }
  const std::string key_text = holder.key ? "access key " + *holder.key : "the access key";
  std::string type = user_type->value_or("");
  if (type.empty() && holder.instance_credentials) {
    type = "AssumedRole";  // instance credentials are always a role's session
  }

  Contained contained;
  if (type == "IAMUser") {
    auto user = IdField(holder.name, TargetKind::kAwsIamUser);
    if (!user) {
      return tl::unexpected(user.error());
    }
    if (holder.key) {
      contained.targets.push_back(
          {TargetKind::kAwsAccessKey, *holder.key, holder.account, "", user->value_or("")});
      if (holder.key->starts_with("ASIA")) {
        contained.notes.push_back(key_text + " is temporary (a session of IAM user " +
                                  user->value_or("unknown") +
                                  "); it cannot be deactivated itself, and the user's deny-all "
                                  "policy stops it");
      }
    } else if (*user) {
      contained.targets.push_back({TargetKind::kAwsIamUser, **user, holder.account, "", ""});
      contained.notes.push_back("names no access key (" + holder.key_path +
                                " is absent); containing IAM user " + **user);
    } else {
      contained.notes.push_back("names neither an access key nor a user (" + holder.details_path +
                                "); nothing planned for the key");
    }
    return contained;
  }
  if (type == "AssumedRole") {
    auto role = IdField(holder.name, TargetKind::kAwsIamRole);
    if (!role) {
      return tl::unexpected(role.error());
    }
    if (!*role) {
      contained.notes.push_back(key_text + " is a role session, but " + holder.name.path +
                                " (the role name) is absent; nothing planned for the role");
      return contained;
    }
    contained.targets.push_back({TargetKind::kAwsIamRole, **role, holder.account, "", ""});
    contained.notes.push_back(key_text + " is a session of IAM role " + **role + " (" +
                              holder.name_source +
                              "), so the role is contained: its sessions issued before "
                              "containment are denied");
    return contained;
  }
  if (type == "Root") {
    contained.notes.push_back(key_text +
                              " belongs to the account's root user; cordon does not contain the "
                              "root user: rotate its credentials and review its MFA by hand");
    return contained;
  }
  if (type.empty()) {
    contained.notes.push_back("names no principal type (" + holder.type.path +
                              " is absent), so a user's key cannot be told from a role session "
                              "or the root user; nothing planned for the key");
    return contained;
  }
  contained.notes.push_back(key_text + " belongs to a principal of type " + type +
                            "; cordon has no playbook for it, nothing planned for the key");
  return contained;
}

Result<Contained> ContainFunctionArn(const std::string& path, const std::string& arn) {
  // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME has six colons; a qualifier adds one.
  std::string unqualified = arn;
  std::string qualifier;
  if (std::count(arn.begin(), arn.end(), ':') == 7) {
    const size_t colon = arn.rfind(':');
    if (IsQualifier(std::string_view(arn).substr(colon + 1))) {
      unqualified = arn.substr(0, colon);
      qualifier = arn.substr(colon + 1);
    }
  }
  auto target = ParseTargetRef(unqualified, {});
  if (!target) {
    return Fail(ErrorKind::kInvalidInput, path + ": " + target.error().message);
  }
  if (target->kind != TargetKind::kAwsLambdaFunction) {
    return Fail(ErrorKind::kInvalidInput, path + ": expected " +
                                              ExpectedRefForms(TargetKind::kAwsLambdaFunction) +
                                              ", got a " + TargetKindName(target->kind) + " ARN");
  }
  Contained contained;
  contained.targets.push_back(*target);
  if (!qualifier.empty()) {
    contained.notes.push_back(path + " names " + qualifier + " of function " + target->id +
                              "; cordon contains the whole function");
  }
  return contained;
}

}  // namespace cordon::planning::finding_json
