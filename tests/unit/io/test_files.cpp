// io::read_text_file, io::write_file_atomic and the error side of api::load_model.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "g2g/api/model.hpp"
#include "g2g/core/diagnostics.hpp"
#include "g2g/io/device_library.hpp"
#include "g2g/io/files.hpp"
#include "support/test_support.hpp"

namespace g2g::io {
namespace {

namespace fs = std::filesystem;

std::size_t count_entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(Files, WriteCreatesParentsAndReadsBackExactly) {
  const fs::path dir = test::scratch_dir("io-files-write");
  const fs::path target = dir / "a" / "b" / "out.json";
  std::string content = "line 1\n";
  content.push_back('\0');
  content += "after a NUL\xff";
  write_file_atomic(target, content);
  EXPECT_EQ(read_text_file(target), content);
  EXPECT_EQ(count_entries(target.parent_path()), 1u) << "temporary file left behind";
}

TEST(Files, WriteReplacesAnExistingFile) {
  const fs::path dir = test::scratch_dir("io-files-replace");
  const fs::path target = dir / "out.txt";
  write_file_atomic(target, std::string(100000, 'x'));
  write_file_atomic(target, "short");
  EXPECT_EQ(read_text_file(target), "short");
  EXPECT_EQ(count_entries(dir), 1u);
}

TEST(Files, PiecesWrittenInOrderAppearOnlyOnCommit) {
  const fs::path dir = test::scratch_dir("io-files-pieces");
  const fs::path target = dir / "out.json";
  write_file_atomic(target, "old");
  std::string expected;
  {
    AtomicFileWriter file(target);
    // Past the size at which writing out to disk starts early (several times over).
    for (int i = 0; i < 40; ++i) {
      const std::string piece(std::size_t{1} << 20, static_cast<char>('a' + i % 26));
      file.write(piece);
      expected += piece;
    }
    EXPECT_EQ(read_text_file(target), "old") << "the target changed before commit";
    file.commit();
  }
  EXPECT_EQ(read_text_file(target), expected);
  EXPECT_EQ(count_entries(dir), 1u) << "temporary file left behind";
}

TEST(Files, AbandonedWriterLeavesTheTargetAndNoTemporaryFile) {
  const fs::path dir = test::scratch_dir("io-files-abandoned");
  const fs::path target = dir / "out.json";
  write_file_atomic(target, "old");
  try {
    AtomicFileWriter file(target);
    file.write("half a docu");
    throw std::runtime_error("formatting failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read_text_file(target), "old");
  EXPECT_EQ(count_entries(dir), 1u);
}

TEST(Files, WriteWithoutDirectoryPartUsesCurrentDirectory) {
  const fs::path dir = test::scratch_dir("io-files-cwd");
  const fs::path old_cwd = fs::current_path();
  fs::current_path(dir);
  write_file_atomic("plain.txt", "here");
  fs::current_path(old_cwd);
  EXPECT_EQ(read_text_file(dir / "plain.txt"), "here");
}

// Works as root too: no permission bits involved, the parent "directory" is a regular file.
TEST(Files, FailedWriteLeavesNothingAndNamesThePath) {
  const fs::path dir = test::scratch_dir("io-files-fail");
  write_file_atomic(dir / "blocker", "I am a file");
  const fs::path target = dir / "blocker" / "out.json";
  try {
    write_file_atomic(target, "content");
    FAIL() << "expected FileError";
  } catch (const FileError& error) {
    EXPECT_NE(std::string(error.what()).find("blocker"), std::string::npos) << error.what();
  }
  EXPECT_EQ(read_text_file(dir / "blocker"), "I am a file");
  EXPECT_EQ(count_entries(dir), 1u);
}

TEST(Files, WriteOverADirectoryFailsAndKeepsIt) {
  const fs::path dir = test::scratch_dir("io-files-dir-target");
  fs::create_directories(dir / "results.json");
  EXPECT_THROW(write_file_atomic(dir / "results.json", "x"), FileError);
  EXPECT_TRUE(fs::is_directory(dir / "results.json"));
  EXPECT_EQ(count_entries(dir), 1u);
}

TEST(Files, WriteIntoReadOnlyDirectoryLeavesOldContent) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  const fs::path dir = test::scratch_dir("io-files-readonly");
  write_file_atomic(dir / "out.json", "old");
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(write_file_atomic(dir / "out.json", "new"), FileError);
  fs::permissions(dir, fs::perms::owner_all);
  EXPECT_EQ(read_text_file(dir / "out.json"), "old");
  EXPECT_EQ(count_entries(dir), 1u);
}

TEST(Files, ReadMissingFileNamesIt) {
  const fs::path missing = test::scratch_dir("io-files-missing") / "nope.yaml";
  try {
    (void)read_text_file(missing);
    FAIL() << "expected FileError";
  } catch (const FileError& error) {
    EXPECT_EQ(error.path(), missing);
    EXPECT_NE(std::string(error.what()).find("nope.yaml"), std::string::npos);
    EXPECT_FALSE(error.reason().empty());
  }
}

TEST(Files, ReadDirectoryIsAnError) {
  EXPECT_THROW((void)read_text_file(test::scratch_dir("io-files-readdir")), FileError);
}

// The size limit is checked before reading (a sparse file costs nothing) and names both sizes.
TEST(Files, ReadOverTheLimitIsRefusedBeforeReading) {
  const fs::path dir = test::scratch_dir("io-files-limit");
  const fs::path file = dir / "big.txt";
  { std::ofstream(file) << "x"; }
  fs::resize_file(file, 5u << 20);
  try {
    (void)read_text_file(file, 0, 4u << 20);
    FAIL() << "no error";
  } catch (const FileError& error) {
    EXPECT_EQ(error.reason(), "is 5.0 MiB, over the limit of 4.0 MiB for this kind of file");
  }
  EXPECT_EQ(read_text_file(file, 0, 5u << 20).size(), 5u << 20);
}

TEST(Files, ReadRefusesAFifoWithoutWaitingForAWriter) {
  const fs::path dir = test::scratch_dir("io-files-fifo");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  try {
    (void)read_text_file(dir / "pipe");
    FAIL() << "no error";
  } catch (const FileError& error) {
    EXPECT_EQ(error.reason(),
              "is not a regular file but a FIFO (named pipe); grid2gpu reads only regular files");
  }
  EXPECT_THROW((void)read_text_file("/dev/null"), FileError);
}

// A path another file names: inside the referring file's directory (links followed), or inside
// an allowed directory.
TEST(Files, ReferencePolicy) {
  const fs::path dir = test::scratch_dir("io-files-reference");
  fs::create_directories(dir / "model" / "sub");
  fs::create_directories(dir / "shared");
  { std::ofstream(dir / "shared" / "spec.yaml") << "x"; }
  fs::create_symlink(dir / "shared" / "spec.yaml", dir / "model" / "link.yaml");
  const fs::path model = dir / "model";
  EXPECT_EQ(reference_problem(model, "sub/spec.yaml", {}), "");
  EXPECT_EQ(reference_problem(model, "sub/../spec.yaml", {}), "");
  EXPECT_NE(reference_problem(model, "../shared/spec.yaml", {}), "");
  EXPECT_NE(reference_problem(model, dir / "shared" / "spec.yaml", {}), "");
  EXPECT_NE(reference_problem(model, "link.yaml", {}), "");
  EXPECT_NE(reference_problem(model, "/etc/passwd", {}), "");
  const std::vector<fs::path> allowed{dir / "shared"};
  EXPECT_EQ(reference_problem(model, "../shared/spec.yaml", allowed), "");
  EXPECT_EQ(reference_problem(model, "link.yaml", allowed), "");
  EXPECT_NE(reference_problem(model, "/etc/passwd", allowed), "");
}

// A part file in a SPEC's device_library that links out of the directory is not read (part
// files are echoed in diagnostics).
TEST(Files, PartFileLinkingOutOfItsDirectoryIsRefused) {
  const fs::path dir = test::scratch_dir("io-files-parts-link");
  fs::create_directories(dir / "parts");
  { std::ofstream(dir / "secret.yaml") << "TOPSECRET: 1\n"; }
  fs::create_symlink(dir / "secret.yaml", dir / "parts" / "part.yaml");
  try {
    (void)read_device_library(dir / "parts");
    FAIL() << "no error";
  } catch (const FileError& error) {
    EXPECT_NE(error.reason().find("resolves outside the parts directory"), std::string::npos);
  }
}

// Outputs replace regular files only, and never an input.
TEST(Files, WriteRefusesADeviceOrFifoAndAnInput) {
  const fs::path dir = test::scratch_dir("io-files-special-target");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  EXPECT_THROW(write_file_atomic(dir / "pipe", "x"), FileError);
  EXPECT_TRUE(fs::is_fifo(dir / "pipe"));
  { std::ofstream(dir / "in.yaml") << "model"; }
  const std::vector<fs::path> inputs{dir / "in.yaml"};
  EXPECT_THROW(check_output_is_not_input(dir / "." / "in.yaml", inputs), FileError);
  EXPECT_NO_THROW(check_output_is_not_input(dir / "out.json", inputs));
}

TEST(ReadModel, MissingFileIsAModelErrorNamingTheFile) {
  const fs::path missing = test::scratch_dir("io-read-model-missing") / "hall.yaml";
  try {
    (void)api::load_model(missing);
    FAIL() << "expected ModelError";
  } catch (const core::ModelError& error) {
    ASSERT_EQ(error.diagnostics().error_count(), 1u);
    EXPECT_EQ(error.diagnostics().items()[0].where.file, missing.string());
  }
}

TEST(ReadModel, UnknownExtensionSaysWhichAreKnown) {
  const fs::path dir = test::scratch_dir("io-read-model-ext");
  write_file_atomic(dir / "hall.txt", "buses: []\n");
  try {
    (void)api::load_model(dir / "hall.txt");
    FAIL() << "expected ModelError";
  } catch (const core::ModelError& error) {
    const auto& item = error.diagnostics().items().at(0);
    EXPECT_NE(item.message.find(".txt"), std::string::npos) << item.message;
    EXPECT_NE(item.fix.find(".yaml"), std::string::npos) << item.fix;
    EXPECT_NE(item.fix.find(".json"), std::string::npos) << item.fix;
    EXPECT_NE(item.fix.find(".m"), std::string::npos) << item.fix;
  }
}

TEST(CheckModel, DanglingBusReferenceIsReportedNotCrashed) {
  model::ModelSpec model;
  model::Bus bus;
  bus.id = "b";
  model.buses = {bus};
  model::Load load;
  load.id = "l";
  load.bus = 5;  // out of range
  model.loads = {load};
  EXPECT_TRUE(api::check(model).has_errors());
}

}  // namespace
}  // namespace g2g::io
