#pragma once

// ThreadSanitizer only sees the synchronisation of code it instrumented. The distribution's Qt
// is not instrumented, so a hand-off that Qt synchronises internally (QThreadPool's queue, the
// semaphore of a blocking queued call) looks like a data race to it. These functions declare such
// a hand-off where it happens: release() on the sending side before the hand-off, acquire() on
// the receiving side after it, both with the same address. Outside TSan builds they do nothing.

#if defined(__SANITIZE_THREAD__)
#define AETHERV_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define AETHERV_TSAN 1
#endif
#endif

#ifdef AETHERV_TSAN
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace aetherv::tsan {

inline void release([[maybe_unused]] void *addr)
{
#ifdef AETHERV_TSAN
    __tsan_release(addr);
#endif
}

inline void acquire([[maybe_unused]] void *addr)
{
#ifdef AETHERV_TSAN
    __tsan_acquire(addr);
#endif
}

} // namespace aetherv::tsan
