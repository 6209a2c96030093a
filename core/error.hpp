#pragma once
// Exceptions carry the exit code the CLI maps them to (see docs/cli.md):
// 2 usage, 3 model not found / not loadable, 4 a bad input record, 1 internal.
#include <stdexcept>
#include <string>

namespace xfmr {

enum class ExitCode : int { ok = 0, internal = 1, usage = 2, model = 3, input = 4, interrupted = 130 };

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// A flag or argument the user got wrong.
struct UsageError : Error {
  explicit UsageError(const std::string& what) : Error(ExitCode::usage, what) {}
};

// The model folder is missing, incomplete or corrupt.
struct ModelError : Error {
  explicit ModelError(const std::string& what) : Error(ExitCode::model, what) {}
};

// One input record cannot be processed; the others go on.
struct InputError : Error {
  explicit InputError(const std::string& what) : Error(ExitCode::input, what) {}
};

}  // namespace xfmr
