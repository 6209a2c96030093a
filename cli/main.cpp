#include <csignal>
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/io/record_writer.hpp"
#include "core/error.hpp"

// The one place where errors become messages and exit codes (docs/cli.md).
int main(int argc, char** argv) {
  // A closed stdout (`| head -1`) shows up as EPIPE on write and ends the run quietly.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return xfmr::cli::run_application(argc, argv);
  } catch (const xfmr::cli::BrokenPipe&) {
    return 0;
  } catch (const xfmr::Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "xfmr: error: {}\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "xfmr: error: out of memory\n");
    return static_cast<int>(xfmr::ExitCode::internal);
  } catch (const std::exception& e) {
    fmt::print(stderr, "xfmr: error: internal error: {}\n", e.what());
    return static_cast<int>(xfmr::ExitCode::internal);
  }
}
