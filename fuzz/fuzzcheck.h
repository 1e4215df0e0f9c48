#pragma once

#include <cstdio>
#include <cstdlib>

// FUZZ_CHECK(condition): a property every input must keep. A violation is reported like a
// sanitizer finding (libFuzzer saves the input as crash-*), so the fuzzers check behaviour,
// not only memory safety.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__,             \
                         #condition);                                                              \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
