#pragma once
// Where results live on disk: one JSON file per configuration, in directories
// that also hold other files (CSV files, traces, fusion study summaries, ORT
// profiles, raw traces). Readers take what is a result and say why they skip
// the rest (docs/reports.md, "Reading results").
#include <string>
#include <vector>

#include "core/result_name.h"
#include "core/run_result.h"

namespace ngbench::report {

// File stem of a configuration's results (core/result_name.h).
using ngbench::result_stem;

struct LoadedResult {
  std::string path;
  RunResult result;
};

// What a file is, as far as result readers care.
enum class FileKind {
  kResult,        // a readable result
  kBrokenResult,  // claims to be a result (schema_version, or the start of one) but cannot be read
  kOther,         // something else: not JSON, a trace, a fusion study summary, an ORT profile, ...
};

struct FileVerdict {
  FileKind kind = FileKind::kOther;
  RunResult result;    // kResult
  std::string reason;  // otherwise: one line, e.g. "a Chrome trace (ngbench trace), not a result"
};

// Reads and classifies one file; never throws (an unreadable file is kOther,
// or kBrokenResult when what could be read of it looks like a result).
FileVerdict read_result_file(const std::string& path);

// The same for a file's text already read; `path` names it in reasons.
FileVerdict classify_result_text(const std::string& text, const std::string& path);

// A file a reader looked at and did not take.
struct SkippedFile {
  std::string path;
  std::string reason;          // one line
  bool broken_result = false;  // kBrokenResult: the reader's exit status says so
};

struct ResultScan {
  std::vector<LoadedResult> results;  // sorted by path
  std::vector<SkippedFile> skipped;   // sorted by path
  std::vector<std::string> files;     // every file read, results and skipped (outputs must not replace them)
  bool has_broken_results() const;
};

// Reads results from files and directories. A file named in `paths` is read
// whatever its extension; a directory is read recursively: every *.json file
// in it and below, except in subdirectories named "raw" (the raw traces of
// `run --raw-trace`) or starting with '.'; symbolic links to directories are
// not followed. A file reached twice is read once. Files that are not results
// are skipped with a reason. Throws ngbench::Error (naming the path) when a
// path does not exist or a directory cannot be listed; finding no result is
// not an error here (the caller decides).
ResultScan scan_results(const std::vector<std::string>& paths);

// Reads one result file. Throws ngbench::Error naming the file and what is
// wrong when it is not a readable result.
RunResult load_result(const std::string& path);

// Every result under `path` (a file or a directory, as scan_results), for
// callers that expect nothing else there: throws ngbench::Error naming the
// first file that is not a result, or when there is no result.
std::vector<LoadedResult> load_results(const std::string& path);
// Parses the text of a result file; `source` names it in errors. Throws
// ngbench::Error, as load_result, when the text is not a readable result.
RunResult parse_result(const std::string& text, const std::string& source);

}  // namespace ngbench::report
