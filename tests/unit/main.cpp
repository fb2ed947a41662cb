// main.cpp — the Catch2 runner for the unit tests.
// GCC 12 warns that libstdc++'s <regex>, which Catch2 uses, reads a
// std::function before setting it (-Wmaybe-uninitialized) in the sanitizer
// build: a false positive inside the library, silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
