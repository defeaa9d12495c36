#include "providers/aws/response_reader.h"

#include <charconv>
#include <cstring>

namespace cordon::aws {
namespace {

std::string_view LocalName(std::string_view full) {
  const auto colon = full.find(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

pugi::xml_node ChildElement(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == name) {
      return child;
    }
  }
  return {};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

pugi::xml_node Child(pugi::xml_node node, std::string_view path) {
  while (node && !path.empty()) {
    const auto slash = path.find('/');
    node = ChildElement(node, path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return node;
}

std::vector<pugi::xml_node> ListItems(pugi::xml_node node, std::string_view path) {
  std::vector<pugi::xml_node> items;
  const pugi::xml_node list = Child(node, path);
  for (pugi::xml_node child = list.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element) {
      items.push_back(child);
    }
  }
  return items;
}

pugi::xml_node ResponseReader::Root(const QueryResponse& response, std::string_view action) {
  const pugi::xml_node root = response.Root();
  const std::string expected = std::string(action) + "Response";
  if (!root || LocalName(root.name()) != expected) {
    Problem("the document element is <" + std::string(root ? root.name() : "") + ">, not <" +
            expected + ">");
    return {};
  }
  return root;
}

std::string ResponseReader::Text(pugi::xml_node node, std::string_view path) const {
  return Child(node, path).text().get();
}

std::string ResponseReader::Required(pugi::xml_node node, std::string_view path,
                                     std::string_view what) {
  std::string value = Text(node, path);
  if (value.empty()) {
    Problem(std::string(what) + " has no " + std::string(path));
  }
  return value;
}

pugi::xml_node ResponseReader::RequiredNode(pugi::xml_node node, std::string_view path,
                                            std::string_view what) {
  pugi::xml_node found = Child(node, path);
  if (!found) {
    Problem(std::string(what) + " has no " + std::string(path));
  }
  return found;
}

bool ResponseReader::Bool(pugi::xml_node node, std::string_view path) {
  const pugi::xml_node found = Child(node, path);
  if (!found) {
    return false;
  }
  const std::string_view value = found.text().get();
  if (value != "true" && value != "false") {
    Problem(std::string(path) + " is '" + std::string(value) + "', not true or false");
  }
  return value == "true";
}

std::optional<int> ResponseReader::Int(pugi::xml_node node, std::string_view path) {
  const pugi::xml_node found = Child(node, path);
  if (!found) {
    return std::nullopt;
  }
  const char* text = found.text().get();
  const char* end = text + std::strlen(text);
  int value = 0;
  const auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc() || stop != end || stop == text) {
    Problem(std::string(path) + " is '" + text + "', not an integer");
    return std::nullopt;
  }
  return value;
}

void ResponseReader::Problem(std::string message) {
  if (!problem_) {
    problem_ = std::move(message);
  }
}

Error ResponseReader::ToError() const {
  return Error{ErrorKind::kProvider,
               "unexpected " + operation_ + " response: " + problem_.value_or("unknown problem"),
               {},
               request_id_,
               0,
               false};
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string DecodePolicyDocument(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    return std::string(text);
  }
  return PercentDecode(text);
}

}  // namespace cordon::aws
