// main.cpp — the Catch2 runner for the event-ingestion tests (vm/events/).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
