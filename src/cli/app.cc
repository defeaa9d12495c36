#include "cli/app.h"

#include <cstdio>

namespace cordon::cli {

int Run(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::fputs("cordon: not yet implemented\n", stderr);
  return kExitUsage;
}

}  // namespace cordon::cli
