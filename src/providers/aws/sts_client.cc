#include "providers/aws/sts_client.h"

#include "providers/aws/response_reader.h"

namespace cordon::aws {

Result<CallerIdentity> StsClient::GetCallerIdentity() const {
  auto response = api_->Query("sts", "GetCallerIdentity", {});
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("sts:GetCallerIdentity", response->request_id);
  const pugi::xml_node root = in.Root(*response, "GetCallerIdentity");
  const pugi::xml_node result = in.RequiredNode(root, "GetCallerIdentityResult", "response");
  CallerIdentity identity{in.Required(result, "Account", "result"),
                          in.Required(result, "Arn", "result"), in.Text(result, "UserId")};
  return in.Finish(std::move(identity));
}

}  // namespace cordon::aws
