// A deployable bundle of one registered model version, written as a folder:
//   model.json       the model artifact, byte for byte (its SHA-256 is in model_info.json)
//   model_info.json  name, version, stage, aliases, run, params, metrics, datasets with roles and
//                    hashes, gate rules and their current results, export time
//   model_card.md    the same for people, and model_card.html (self-contained, no network)
// The folder is written under a temporary name and renamed into place, so it is complete or
// absent. An existing non-empty folder is refused (Conflict).
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace geih::store {

class Workspace;

struct BundleSummary {
  std::filesystem::path folder;
  std::string modelSha256;
  nlohmann::json info;  // what model_info.json holds
};

BundleSummary exportModelBundle(Workspace& workspace, const std::string& reference,
                                const std::filesystem::path& folder);

}  // namespace geih::store
