#include "providers/aws/json_reader.h"

namespace cordon::aws {
namespace {

const nlohmann::json& NullJson() {
  static const nlohmann::json null_json;
  return null_json;
}

const nlohmann::json& EmptyArray() {
  static const nlohmann::json empty_array = nlohmann::json::array();
  return empty_array;
}

}  // namespace

const nlohmann::json* JsonReader::Member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) {
    return nullptr;
  }
  return &*found;
}

std::string JsonReader::String(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  if (member == nullptr) {
    return {};
  }
  if (!member->is_string()) {
    Problem(std::string(key) + " is not a string");
    return {};
  }
  return member->get<std::string>();
}

std::string JsonReader::Required(const nlohmann::json& object, std::string_view key,
                                 std::string_view what) {
  std::string value = String(object, key);
  if (value.empty()) {
    Problem(std::string(what) + " has no " + std::string(key));
  }
  return value;
}

std::optional<std::int64_t> JsonReader::Int(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  if (member == nullptr) {
    return std::nullopt;
  }
  if (!member->is_number_integer()) {
    Problem(std::string(key) + " is not an integer");
    return std::nullopt;
  }
  return member->get<std::int64_t>();
}

std::optional<double> JsonReader::Number(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  if (member == nullptr) {
    return std::nullopt;
  }
  if (!member->is_number()) {
    Problem(std::string(key) + " is not a number");
    return std::nullopt;
  }
  return member->get<double>();
}

std::optional<bool> JsonReader::Bool(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  if (member == nullptr) {
    return std::nullopt;
  }
  if (!member->is_boolean()) {
    Problem(std::string(key) + " is not a boolean");
    return std::nullopt;
  }
  return member->get<bool>();
}

const nlohmann::json& JsonReader::Object(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  if (member == nullptr) {
    return NullJson();
  }
  if (!member->is_object()) {
    Problem(std::string(key) + " is not an object");
    return NullJson();
  }
  return *member;
}

const nlohmann::json& JsonReader::Array(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* member = Member(object, key);
  if (member == nullptr) {
    return EmptyArray();
  }
  if (!member->is_array()) {
    Problem(std::string(key) + " is not a list");
    return EmptyArray();
  }
  return *member;
}

void JsonReader::Problem(std::string message) {
  if (!problem_) {
    problem_ = std::move(message);
  }
}

Error JsonReader::ToError() const {
  return Error{ErrorKind::kProvider,
               "unexpected " + operation_ + " response: " + problem_.value_or("unknown problem"),
               {},
               request_id_,
               0,
               false};
}

Result<nlohmann::json> ParseJsonBody(const RestResponse& response, std::string_view operation) {
  if (response.body.empty()) {
    return nlohmann::json::object();
  }
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    return Fail(Error{ErrorKind::kProvider,
                      std::string(operation) + ": the response is not a JSON object",
                      {},
                      response.request_id,
                      response.status,
                      false});
  }
  return body;
}

}  // namespace cordon::aws
