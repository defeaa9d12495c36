// Parsers of EC2-protocol responses into ec2_types.h values. Internal to Ec2Client.
#pragma once

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/ec2_types.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {

// Each parses one page of the named Describe call; the page's token is its <nextToken>.
Result<Page<Instance>> ParseDescribeInstances(const QueryResponse& response);
Result<Page<NetworkInterface>> ParseDescribeNetworkInterfaces(const QueryResponse& response);
Result<Page<Volume>> ParseDescribeVolumes(const QueryResponse& response);
Result<Page<SecurityGroup>> ParseDescribeSecurityGroups(const QueryResponse& response);
Result<Page<Snapshot>> ParseDescribeSnapshots(const QueryResponse& response);
Result<Page<IamInstanceProfileAssociation>> ParseDescribeIamInstanceProfileAssociations(
    const QueryResponse& response);

// DescribeAddresses is not paginated: every address matching the filters.
Result<std::vector<Address>> ParseDescribeAddresses(const QueryResponse& response);
Result<AssociateAddressResult> ParseAssociateAddress(const QueryResponse& response);
// The <iamInstanceProfileAssociation> of an Associate- or DisassociateIamInstanceProfile
// response to `action`.
Result<IamInstanceProfileAssociationResult> ParseIamInstanceProfileAssociationChange(
    const QueryResponse& response, std::string_view action);

Result<CreateSnapshotsResult> ParseCreateSnapshots(const QueryResponse& response);
Result<CreateSecurityGroupResult> ParseCreateSecurityGroup(const QueryResponse& response);

// The <value> of the `attribute` element of a DescribeInstanceAttribute response.
Result<std::string> ParseInstanceAttribute(const QueryResponse& response,
                                           std::string_view attribute);

}  // namespace cordon::aws
