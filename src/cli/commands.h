// The commands. Each returns the process exit code (cli/app.h) and prints its own output.
#pragma once

#include "cli/options.h"

namespace cordon::cli {

int RunPlanCommand(const GlobalOptions& global, const PlanArgs& args);
int RunApplyCommand(const GlobalOptions& global, const PlanArgs& args);
int RunReleaseCommand(const GlobalOptions& global, const ReleaseArgs& args);
int RunStatusCommand(const GlobalOptions& global, const CaseArgs& args);
int RunVerifyCommand(const GlobalOptions& global, const CaseArgs& args);

}  // namespace cordon::cli
