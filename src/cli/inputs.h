// Turns plan/apply arguments into a Plan, validating every input before anything else happens.
#pragma once

#include <filesystem>

#include "cli/config.h"
#include "cli/options.h"
#include "core/clock.h"
#include "core/result.h"
#include "planning/plan.h"

namespace cordon::cli {

// The cordon home: --home, else $CORDON_HOME, else $XDG_DATA_HOME/cordon, else
// ~/.local/share/cordon. kInvalidInput when none can be determined.
Result<std::filesystem::path> ResolveHome(const GlobalOptions& global, const EnvLookup& env);

// Builds the plan for `args`: from --plan, or from --target and --finding. Fails with
// kInvalidInput naming the bad argument, file or field and the expected form; reads only local
// files.
Result<planning::Plan> PlanFromArgs(const PlanArgs& args, const EnvLookup& env, const Clock& clock);

}  // namespace cordon::cli
