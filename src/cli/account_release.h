// Release across accounts: changes a case made in another account are undone through the role
// --assume-role names there, never with the caller's credentials in the caller's account.
#pragma once

#include <string>
#include <vector>

#include "cli/aws_session.h"
#include "execution/release.h"
#include "journal/journal.h"
#include "planning/plan.h"

namespace cordon::cli {

// Undoes the selected changes of `records` account by account (see AwsReleaser::Release), the
// caller's account with the caller's credentials, every other account through `assume_role`
// (a template that passed ValidateAssumeRoleTemplate). Without `assume_role`, or when the role
// cannot be assumed, the changes of that account are reported kFailed and left in force. Items
// come back newest first.
std::vector<execution::ReleaseItem> ReleaseAcrossAccounts(
    AwsSession& session, const aws::CallerIdentity& caller, const planning::Plan& plan,
    const execution::RunContext& context, journal::Journal* writer,
    const std::vector<journal::Record>& records, const execution::ReleaseOptions& options,
    const std::string& assume_role, const std::string& external_id);

}  // namespace cordon::cli
