// Turns plan/apply arguments into a Plan, validating every input before anything else happens.
#pragma once

#include <filesystem>

#include "cli/config.h"
#include "cli/options.h"
#include "core/clock.h"
#include "core/result.h"
#include "journal/case_dir.h"
#include "planning/plan.h"

namespace cordon::cli {

// The cordon home: --home, else $CORDON_HOME, else $XDG_DATA_HOME/cordon, else
// ~/.local/share/cordon. kInvalidInput when none can be determined.
Result<std::filesystem::path> ResolveHome(const GlobalOptions& global, const EnvLookup& env);

// The folder of an existing case (one with a journal.db) under the resolved home. Fails with
// kInvalidInput naming the case and the home when there is none.
Result<journal::CaseDir> ExistingCase(const GlobalOptions& global, const std::string& case_id);

// The last plan applied to the case (its plan.json). Fails with kInvalidInput when it is missing
// or unreadable.
Result<planning::Plan> CasePlan(const journal::CaseDir& case_dir);

// Builds the plan for `args`: from --plan, or from --target and --finding. Fails with
// kInvalidInput naming the bad argument, file or field and the expected form; reads only local
// files.
Result<planning::Plan> PlanFromArgs(const PlanArgs& args, const EnvLookup& env, const Clock& clock);

}  // namespace cordon::cli
