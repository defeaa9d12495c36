#include "cli/app.h"

int main(int argc, char** argv) { return cordon::cli::Run(argc, argv); }
