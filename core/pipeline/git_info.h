// The git commit a run was started from, read from .git without running git: walks up from
// `start` to the first folder holding .git, resolves HEAD through loose refs and packed-refs.
// Empty when there is no repository or the ref cannot be resolved.
#pragma once

#include <filesystem>
#include <string>

namespace geih::pipeline {

std::string gitCommitOf(const std::filesystem::path& start);

}  // namespace geih::pipeline
