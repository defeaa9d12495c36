// Helpers shared by the typed clients of AWS Query-protocol services (IAM, STS, Auto Scaling,
// Elastic Load Balancing v2): list parameters and the <ActionResult> wrapper. Internal to the
// AWS clients.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "providers/aws/aws_api.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {

// Appends `name`.member.1 .. `name`.member.N, the Query protocol's form of a string list.
inline void AddMemberList(QueryParams& params, const std::string& name,
                          const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(name + ".member." + std::to_string(i + 1), values[i]);
  }
}

inline const char* QueryBool(bool value) { return value ? "true" : "false"; }

// The <ActionResult> element of a Query response to `action`; a different document element or a
// missing result is recorded as a problem and gives a null node.
inline pugi::xml_node QueryResult(ResponseReader& in, const QueryResponse& response,
                                  std::string_view action) {
  const pugi::xml_node root = in.Root(response, action);
  return root ? in.RequiredNode(root, std::string(action) + "Result", "response")
              : pugi::xml_node();
}

}  // namespace cordon::aws
