// The seam between AWS typed clients and the wire: one signed, retried Query/EC2-protocol call.
#pragma once

#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace cordon::aws {

// Form parameters in order, e.g. {{"UserName","alice"},{"Filter.1.Name","vpc-id"}}.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A parsed XML response. `doc` owns the tree; `root` is its document element.
struct QueryResponse {
  std::shared_ptr<pugi::xml_document> doc;
  std::string request_id;

  pugi::xml_node Root() const { return doc ? doc->document_element() : pugi::xml_node(); }
};

// Performs AWS Query-protocol (IAM, STS) and EC2-protocol calls: resolves the endpoint, signs
// with SigV4, retries throttling and 5xx with capped exponential backoff and jitter, and maps
// provider error codes to cordon errors (keeping code and request id). Implementations are
// thread-safe.
class AwsApi {
 public:
  AwsApi() = default;
  AwsApi(const AwsApi&) = delete;
  AwsApi& operator=(const AwsApi&) = delete;
  AwsApi(AwsApi&&) = delete;
  AwsApi& operator=(AwsApi&&) = delete;
  virtual ~AwsApi() = default;

  // `service` is the endpoint id: "iam", "sts" or "ec2". Action and Version are added here.
  virtual Result<QueryResponse> Query(std::string_view service, std::string_view action,
                                      const QueryParams& params) = 0;

  // The region calls are signed for and regional endpoints use.
  virtual std::string Region() const = 0;
};

}  // namespace cordon::aws
