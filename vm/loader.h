// loader.h — loads a journey for the VM: a .jbc file, always verified.
//
// A `.journey` source is compiled by running `journeyc` (found beside the
// journey-vm binary, or on PATH), so the VM never links the compiler. Also
// the VM's whole-file reading (journeys, snapshots, lists) and the check
// that a file can be created, which the command lines share.
#pragma once

#include <string>

#include "bytecode/module.h"

namespace journey::vm {

// Reads the whole file at `path` into `out`; on failure returns false with
// the reason in `error` ("it is a directory", "cannot open (No such file or
// directory)"), which the caller prefixes with the path.
bool ReadWholeFile(const std::string& path, std::string& out, std::string& error);

// Whether a file can be created (or replaced) at `path`: it is not a
// directory and its directory exists and is writable; else false with the
// reason in `error`. A check before work whose result goes there.
bool CanCreateFile(const std::string& path, std::string& error);

// Reads and verifies `path`; on failure returns false with a message that
// names the file and the problem.
bool LoadModule(const std::string& path, bc::Module& out, std::string& error);

// Compiles a .journey with journeyc into a temporary .jbc and loads it.
// Compiler diagnostics go to stderr as journeyc prints them.
bool CompileAndLoad(const std::string& journeyPath, const std::string& selfPath, bc::Module& out, std::string& error);

}  // namespace journey::vm
