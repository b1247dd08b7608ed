#pragma once
// Result files are written atomically: a reader sees the old file or the
// complete new one, and an interrupted run leaves no half-written file.
#include <string>

namespace ngbench {

// Writes `content` to a temporary file beside `path`, flushes it to disk and
// renames it over `path`. Throws ngbench::Error (naming the path) on failure,
// leaving any previous file at `path` untouched.
void write_file_atomically(const std::string& path, const std::string& content);

// Removes the temporary files of write_file_atomically that a killed process
// left in `dir` ("<name>.tmp.<pid>" whose process no longer exists). Returns
// how many were removed; never throws.
int remove_orphaned_temp_files(const std::string& dir);

// Creates `dir` (and parents) if needed and checks that files can be created in
// it. Throws ngbench::Error naming the directory and the reason.
void ensure_writable_dir(const std::string& dir);

}  // namespace ngbench
