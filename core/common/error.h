// The error hierarchy of the engine. Every failure a user can cause or fix is one of these, with a
// message that names what and where (file, line, field, run id). The CLI maps them to exit codes:
// InputError/NotFound/Corrupt/Conflict -> 2 (bad input), everything else -> 1 (internal).
#pragma once

#include <stdexcept>
#include <string>

namespace geih {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The caller gave something malformed: a bad CSV row, an unknown column, an invalid parameter.
class InputError : public Error {
 public:
  using Error::Error;
};

// A named thing does not exist: run, experiment, dataset, artifact, column.
class NotFound : public Error {
 public:
  using Error::Error;
};

// The operation clashes with the current state: a name already taken, a workspace locked.
class Conflict : public Error {
 public:
  using Error::Error;
};

// Stored data failed validation: a corrupt model JSON, an artifact whose hash does not match.
class Corrupt : public Error {
 public:
  using Error::Error;
};

// The user cancelled a long operation through its Progress.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
  using Error::Error;
};

// The operating system refused a read or a write.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace geih
