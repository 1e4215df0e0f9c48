// Disk quota for simulated hosts (the diskQuotaBytes fault), preloaded into the pwsh workers with
// LD_PRELOAD. aetherv-hostsim writes the quotas to the file named by
// AETHERV_HOSTSIM_QUOTA_FILE, one "<limit bytes>\t<absolute host C: root>" per line. A write
// that would take the files under such a root beyond the limit fails with ENOSPC, which .NET
// turns into an IOException; the message is Windows' "There is not enough space on the disk.".
//
// Covered: write, writev, pwrite, pwritev(2), ftruncate, truncate, fallocate, posix_fallocate,
// sendfile and copy_file_range, also through syscall(2) (the calls .NET's FileStream, File.Copy and
// SetLength use, and that native programs make through libc). FICLONE is refused on a quota root,
// so copies fall back to sendfile. Not covered: writes through mmap, glibc stdio's internal writes,
// and files moved in from outside the root. Usage is the sum of the apparent sizes of the regular
// files under the root; it is recounted at most every 200 ms per process, and always before a write
// is refused, so a refusal is exact while another worker writing at the same moment may overshoot
// the limit by what it wrote in that window.
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

constexpr int maxRoots = 1024;
constexpr long long recountIntervalNs = 200'000'000;
const char diskFullMessage[] = "There is not enough space on the disk.";

struct QuotaRoot
{
    char path[PATH_MAX];
    size_t length = 0;
    long long limit = 0;
    long long usage = 0;
    long long countedAtNs = -1; // -1: never counted
};

pthread_mutex_t g_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
QuotaRoot g_roots[maxRoots];
int g_rootCount = 0;
struct stat g_fileState = {};
bool g_fileSeen = false;

template<typename F>
F next(F, const char *name)
{
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

#define REAL(fn) static const auto real = next(&::fn, #fn)

const char *quotaFile()
{
    static const char *file = getenv("AETHERV_HOSTSIM_QUOTA_FILE");
    return file && *file ? file : nullptr;
}

long long nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

// Rereads the quota file when it changed (it is replaced by a rename, so the inode changes too).
void refreshQuotasLocked()
{
    struct stat st = {};
    if (stat(quotaFile(), &st) != 0) {
        g_rootCount = 0;
        g_fileSeen = false;
        return;
    }
    if (g_fileSeen && st.st_ino == g_fileState.st_ino && st.st_size == g_fileState.st_size
        && st.st_mtim.tv_sec == g_fileState.st_mtim.tv_sec
        && st.st_mtim.tv_nsec == g_fileState.st_mtim.tv_nsec)
        return;
    g_fileState = st;
    g_fileSeen = true;
    g_rootCount = 0;
    const int fd = open(quotaFile(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    static char text[maxRoots * 128];
    REAL(read);
    size_t used = 0;
    for (;;) {
        const ssize_t n = real(fd, text + used, sizeof text - 1 - used);
        if (n <= 0)
            break;
        used += size_t(n);
    }
    close(fd);
    text[used] = '\0';
    for (char *line = text; *line && g_rootCount < maxRoots;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        const char *tab = strchr(line, '\t');
        if (tab && tab[1] == '/') {
            QuotaRoot &root = g_roots[g_rootCount];
            root.limit = strtoll(line, nullptr, 10);
            root.length = strnlen(tab + 1, PATH_MAX - 1);
            memcpy(root.path, tab + 1, root.length);
            root.path[root.length] = '\0';
            while (root.length > 1 && root.path[root.length - 1] == '/')
                root.path[--root.length] = '\0';
            root.countedAtNs = -1;
            ++g_rootCount;
        }
        if (!end)
            break;
        line = end + 1;
    }
}

// Sum of the apparent sizes of the regular files below an open directory (closed here).
long long treeSize(int dirFd)
{
    DIR *dir = fdopendir(dirFd);
    if (!dir) {
        close(dirFd);
        return 0;
    }
    long long total = 0;
    while (const dirent *entry = readdir(dir)) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        struct stat st = {};
        if (fstatat(::dirfd(dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (S_ISREG(st.st_mode)) {
            total += st.st_size;
        } else if (S_ISDIR(st.st_mode)) {
            const int child = openat(::dirfd(dir), entry->d_name,
                                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child >= 0)
                total += treeSize(child);
        }
    }
    closedir(dir);
    return total;
}

void recountLocked(QuotaRoot &root)
{
    const int fd = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    root.usage = fd < 0 ? 0 : treeSize(fd);
    root.countedAtNs = nowNs();
}

// The quota root an open file lives under, or nullptr. Call with g_lock held.
QuotaRoot *rootOfLocked(int fd)
{
    refreshQuotasLocked();
    if (g_rootCount == 0)
        return nullptr;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char path[PATH_MAX];
    const ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return nullptr;
    path[n] = '\0';
    for (int i = 0; i < g_rootCount; ++i) {
        QuotaRoot &root = g_roots[i];
        if (strncmp(path, root.path, root.length) == 0
            && (path[root.length] == '/' || path[root.length] == '\0'))
            return &root;
    }
    return nullptr;
}

// Held around one call that may grow a regular file: finds the file's quota root, checks the
// growth against the limit and counts it. Growing calls under quota roots are serialised within
// the process, so two threads cannot both pass the check with the last free bytes.
class Guard
{
public:
    explicit Guard(int fd, bool enabled = true)
    {
        if (!enabled || !quotaFile())
            return;
        if (fstat(fd, &m_st) != 0 || !S_ISREG(m_st.st_mode))
            return;
        pthread_mutex_lock(&g_lock);
        m_locked = true;
        m_root = rootOfLocked(fd);
    }
    ~Guard()
    {
        if (m_locked)
            pthread_mutex_unlock(&g_lock);
    }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;

    bool active() const { return m_root != nullptr; }
    long long size() const { return m_st.st_size; }

    // False (errno ENOSPC) when growing the file to newEnd would exceed the root's quota.
    bool allows(long long newEnd)
    {
        const long long growth = newEnd - m_st.st_size;
        if (!m_root || growth <= 0)
            return true;
        if (m_root->countedAtNs < 0 || nowNs() - m_root->countedAtNs > recountIntervalNs)
            recountLocked(*m_root);
        if (m_root->usage + growth > m_root->limit) {
            recountLocked(*m_root); // refuse only on a fresh count
            if (m_root->usage + growth > m_root->limit) {
                errno = ENOSPC;
                return false;
            }
        }
        return true;
    }

    void grew(long long newEnd)
    {
        if (m_root && newEnd > m_st.st_size)
            m_root->usage += newEnd - m_st.st_size;
    }

private:
    struct stat m_st = {};
    QuotaRoot *m_root = nullptr;
    bool m_locked = false;
};

// Where a write at the file position (or at the end with O_APPEND) starts.
long long currentPosition(int fd, long long size)
{
    const int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_APPEND))
        return size;
    const off_t pos = lseek(fd, 0, SEEK_CUR);
    return pos < 0 ? size : pos;
}

size_t iovTotal(const iovec *iov, int count)
{
    size_t total = 0;
    for (int i = 0; i < count; ++i)
        total += iov[i].iov_len;
    return total;
}

// Bytes a copy can take from inFd: count, or less when the source file ends earlier.
long long copyableBytes(int inFd, const long long *inOffset, size_t count)
{
    struct stat in = {};
    if (fstat(inFd, &in) != 0 || !S_ISREG(in.st_mode))
        return (long long)count;
    const long long from = inOffset ? *inOffset : (long long)lseek(inFd, 0, SEEK_CUR);
    const long long left = in.st_size - from > 0 ? in.st_size - from : 0;
    return left < (long long)count ? left : (long long)count;
}

// A call that writes `count` bytes at `offset` (-1: at the file position) of fd.
template<typename Call>
ssize_t guardedWrite(int fd, long long offset, long long count, Call call)
{
    Guard guard(fd, count > 0);
    long long start = 0;
    if (guard.active()) {
        start = offset >= 0 ? offset : currentPosition(fd, guard.size());
        if (!guard.allows(start + count))
            return -1;
    }
    const ssize_t n = call();
    if (n > 0)
        guard.grew(start + n);
    return n;
}

// A call that sets the file's size (ftruncate) or reserves up to newEnd (fallocate).
template<typename Call>
int guardedResize(int fd, long long newEnd, bool changesSize, Call call)
{
    Guard guard(fd);
    if (!guard.allows(newEnd))
        return -1;
    const int rc = call();
    if (rc == 0 && changesSize)
        guard.grew(newEnd);
    return rc;
}

} // namespace

#define AETHERV_EXPORT extern "C" __attribute__((visibility("default")))

AETHERV_EXPORT ssize_t write(int fd, const void *buf, size_t count)
{
    REAL(write);
    return guardedWrite(fd, -1, (long long)count, [&] { return real(fd, buf, count); });
}

AETHERV_EXPORT ssize_t writev(int fd, const iovec *iov, int iovcnt)
{
    REAL(writev);
    return guardedWrite(fd, -1, (long long)iovTotal(iov, iovcnt),
                        [&] { return real(fd, iov, iovcnt); });
}

AETHERV_EXPORT ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    REAL(pwrite);
    return guardedWrite(fd, offset, (long long)count, [&] { return real(fd, buf, count, offset); });
}

AETHERV_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset)
{
    REAL(pwrite64);
    return guardedWrite(fd, offset, (long long)count, [&] { return real(fd, buf, count, offset); });
}

AETHERV_EXPORT ssize_t pwritev(int fd, const iovec *iov, int iovcnt, off_t offset)
{
    REAL(pwritev);
    return guardedWrite(fd, offset, (long long)iovTotal(iov, iovcnt),
                        [&] { return real(fd, iov, iovcnt, offset); });
}

AETHERV_EXPORT ssize_t pwritev64(int fd, const iovec *iov, int iovcnt, off64_t offset)
{
    REAL(pwritev64);
    return guardedWrite(fd, offset, (long long)iovTotal(iov, iovcnt),
                        [&] { return real(fd, iov, iovcnt, offset); });
}

AETHERV_EXPORT ssize_t pwritev2(int fd, const iovec *iov, int iovcnt, off_t offset, int flags)
{
    REAL(pwritev2);
    return guardedWrite(fd, offset, (long long)iovTotal(iov, iovcnt),
                        [&] { return real(fd, iov, iovcnt, offset, flags); });
}

AETHERV_EXPORT int ftruncate(int fd, off_t length)
{
    REAL(ftruncate);
    return guardedResize(fd, length, true, [&] { return real(fd, length); });
}

AETHERV_EXPORT int ftruncate64(int fd, off64_t length)
{
    REAL(ftruncate64);
    return guardedResize(fd, length, true, [&] { return real(fd, length); });
}

AETHERV_EXPORT int truncate(const char *path, off_t length)
{
    REAL(truncate);
    const int fd = quotaFile() ? open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC) : -1;
    if (fd < 0)
        return real(path, length);
    const int rc = guardedResize(fd, length, true, [&] { return real(path, length); });
    const int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

AETHERV_EXPORT int fallocate(int fd, int mode, off_t offset, off_t len)
{
    REAL(fallocate);
    return guardedResize(fd, offset + len, !(mode & FALLOC_FL_KEEP_SIZE),
                         [&] { return real(fd, mode, offset, len); });
}

AETHERV_EXPORT int fallocate64(int fd, int mode, off64_t offset, off64_t len)
{
    REAL(fallocate64);
    return guardedResize(fd, offset + len, !(mode & FALLOC_FL_KEEP_SIZE),
                         [&] { return real(fd, mode, offset, len); });
}

// posix_fallocate returns its error instead of setting errno.
AETHERV_EXPORT int posix_fallocate(int fd, off_t offset, off_t len)
{
    REAL(posix_fallocate);
    int rc = 0;
    if (guardedResize(fd, offset + len, true, [&] { return rc = real(fd, offset, len); }) != 0)
        return rc != 0 ? rc : ENOSPC;
    return 0;
}

AETHERV_EXPORT int posix_fallocate64(int fd, off64_t offset, off64_t len)
{
    REAL(posix_fallocate64);
    int rc = 0;
    if (guardedResize(fd, offset + len, true, [&] { return rc = real(fd, offset, len); }) != 0)
        return rc != 0 ? rc : ENOSPC;
    return 0;
}

AETHERV_EXPORT ssize_t sendfile(int outFd, int inFd, off_t *offset, size_t count)
{
    REAL(sendfile);
    const long long from = offset ? *offset : 0;
    return guardedWrite(outFd, -1, copyableBytes(inFd, offset ? &from : nullptr, count),
                        [&] { return real(outFd, inFd, offset, count); });
}

AETHERV_EXPORT ssize_t sendfile64(int outFd, int inFd, off64_t *offset, size_t count)
{
    REAL(sendfile64);
    const long long from = offset ? *offset : 0;
    return guardedWrite(outFd, -1, copyableBytes(inFd, offset ? &from : nullptr, count),
                        [&] { return real(outFd, inFd, offset, count); });
}

AETHERV_EXPORT ssize_t copy_file_range(int inFd, off64_t *inOffset, int outFd, off64_t *outOffset,
                                       size_t count, unsigned int flags)
{
    REAL(copy_file_range);
    const long long from = inOffset ? *inOffset : 0;
    return guardedWrite(outFd, outOffset ? *outOffset : -1,
                        copyableBytes(inFd, inOffset ? &from : nullptr, count),
                        [&] { return real(inFd, inOffset, outFd, outOffset, count, flags); });
}

// .NET calls copy_file_range through syscall(2) (glibc versions differ in whether they have it).
AETHERV_EXPORT long syscall(long number, ...)
{
    REAL(syscall);
    va_list args;
    va_start(args, number);
    long a[6];
    for (long &value : a)
        value = va_arg(args, long); // the kernel ABI: up to six register-sized arguments
    va_end(args);
    if (number == SYS_copy_file_range) {
        const int inFd = int(a[0]);
        auto *inOffset = reinterpret_cast<off64_t *>(a[1]);
        const int outFd = int(a[2]);
        auto *outOffset = reinterpret_cast<off64_t *>(a[3]);
        const auto count = size_t(a[4]);
        const long long from = inOffset ? *inOffset : 0;
        return guardedWrite(outFd, outOffset ? *outOffset : -1,
                            copyableBytes(inFd, inOffset ? &from : nullptr, count),
                            [&] { return real(number, a[0], a[1], a[2], a[3], a[4], a[5]); });
    }
    return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

// A reflink clone shares blocks without writing: refused on a quota root, so the caller (such
// as .NET's File.Copy) falls back to sendfile, which is counted.
AETHERV_EXPORT int ioctl(int fd, unsigned long request, ...)
{
    REAL(ioctl);
    va_list args;
    va_start(args, request);
    void *argument = va_arg(args, void *);
    va_end(args);
    if (request == FICLONE || request == FICLONERANGE) {
        const Guard guard(fd);
        if (guard.active()) {
            errno = EOPNOTSUPP;
            return -1;
        }
    }
    return real(fd, request, argument);
}

// .NET builds IOException messages with strerror_r: a full disk reads as it does on Windows.
AETHERV_EXPORT char *strerror_r(int error, char *buffer, size_t size)
{
    REAL(strerror_r);
    if (error == ENOSPC)
        return const_cast<char *>(diskFullMessage);
    return real(error, buffer, size);
}
