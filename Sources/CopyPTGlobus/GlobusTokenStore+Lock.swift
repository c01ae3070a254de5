import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GlobusTokenStore {
    /// Runs `body` holding an exclusive `flock` on the sidecar lock file.
    ///
    /// Every call opens the lock file anew, so two calls contend even inside one process
    /// (`flock` belongs to the open file description). The lock is polled without blocking a
    /// thread, so a long refresh in another process costs this one only sleeps.
    /// - Parameters:
    ///   - pollInterval: wait between attempts, default 25 ms.
    ///   - timeout: give up after this long, default 120 s (two refreshes at the default timeout).
    ///   - sleep: the injected sleep.
    ///   - body: the critical section; re-read the token file inside it.
    /// - Throws: ``GlobusError/tokenFile(path:operation:errno:)`` when the lock cannot be taken.
    public func withLock<T>(
        isolation: isolated (any Actor)? = #isolation,
        pollInterval: Duration = .milliseconds(25),
        timeout: Duration = .seconds(120),
        sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        _ body: () async throws -> T
    ) async throws -> T {
        try Self.makeDirectory(path.deletingLastPathComponent())
        try checkDirectory()
        let fd = open(lockPath.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw GlobusError.tokenFile(path: lockPath.path, operation: "open lock", errno: errno) }
        defer { close(fd) }
        var waited = Duration.zero
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                throw GlobusError.tokenFile(path: lockPath.path, operation: "lock", errno: code)
            }
            guard waited < timeout else {
                throw GlobusError.tokenFile(path: lockPath.path, operation: "lock (held by another copypt for \(timeout))", errno: code)
            }
            try await sleep(pollInterval)
            waited += pollInterval
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }
}
