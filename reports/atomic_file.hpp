// Replacing a file so that readers only ever see a whole version of it.
//
// The run record is rewritten after every scenario; if the run is killed
// mid-write the previous record must survive intact.  The same call writes
// private files (mode 0600), which must never exist with wider permissions,
// not even for a moment.
#pragma once

#include <filesystem>
#include <string_view>

#include <sys/types.h>

#include "common/result.hpp"

namespace acmespec::reports {

// Writes content to a new temporary file beside `path` (created with mode
// 0600, then set to exactly `mode`, regardless of the umask), flushes it to
// disk, renames it over `path` and flushes the directory.  The target is thus
// either the old file or the complete new one, never a mix.  On failure the
// temporary file is removed, the old file is untouched, and the error names
// the path and the failing system call.  The directory must already exist.
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         mode_t mode = 0644);

}  // namespace acmespec::reports
