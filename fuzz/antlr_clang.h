// antlr_clang.h — lets clang compile the ANTLR 4.9 runtime headers (fuzz
// build only; force-included by fuzz/CMakeLists.txt).
//
// antlr4-runtime.h pulls in misc/InterpreterDataReader.h, whose struct
// InterpreterData has a user-written default constructor that default-
// constructs a dfa::Vocabulary. Vocabulary has const std::vector members
// and a defaulted default constructor; with libstdc++'s (defaulted) vector
// constructor that makes Vocabulary not const-default-constructible, which
// g++ lets pass and clang rejects as a hard error. Nothing in Journey uses
// InterpreterData, so its two constructors are turned into ordinary member
// functions under another name: the struct's own (now implicit) default
// constructor is deleted but never used, and the declarations compile. The
// macro is function-like, so `struct InterpreterData` and the return type
// of InterpreterDataReader::parseFile are left alone.
#pragma once

#define InterpreterData(...) void journey_fuzz_disabled_constructor(__VA_ARGS__)
