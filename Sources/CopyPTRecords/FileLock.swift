import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on a file (`flock(2)`), taken only for the duration of a call.
///
/// `flock` locks belong to an open file description, so two opens in one process contend
/// just like two processes do, and the kernel drops the lock when its holder dies (a crashed
/// or SIGKILLed sweep never leaves a record locked). Lock files are created on demand
/// (mode 0600) and never deleted: deleting a lock file races with someone opening it.
public struct FileLock: Sendable {
    /// The lock file.
    public let path: String

    /// A lock on `path` (the file is created when first locked).
    public init(path: String) {
        self.path = path
    }

    /// Runs `body` while holding the lock.
    /// - Parameters:
    ///   - blocking: wait for the lock (default `false`: return `.busy` at once if it is held).
    ///   - body: the work to do under the lock.
    /// - Returns: `.acquired(body's value)`, or `.busy`.
    /// - Throws: `RecordError.lockFailed` / `.io` when the lock file cannot be opened or locked,
    ///   and whatever `body` throws (the lock is released either way).
    public func withLock<T>(blocking: Bool = false, _ body: () throws -> T) throws -> LockResult<T> {
        guard let fd = try acquire(blocking: blocking) else { return .busy }
        defer { FileLock.release(fd) }
        return .acquired(try body())
    }

    /// Async variant of `withLock(blocking:_:)`, for work that suspends while holding the lock.
    public func withLock<T>(blocking: Bool = false, _ body: () async throws -> T) async throws -> LockResult<T> {
        guard let fd = try acquire(blocking: blocking) else { return .busy }
        defer { FileLock.release(fd) }
        return .acquired(try await body())
    }

    // MARK: - Descriptor handling (kept internal: callers only see the scoped calls)

    /// Opens the lock file and locks it; `nil` when it is held elsewhere and `blocking` is false.
    func acquire(blocking: Bool) throws -> Int32? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RecordError.io(operation: "open lock file", path: path, errno: errno) }
        let operation = blocking ? LOCK_EX : (LOCK_EX | LOCK_NB)
        while flock(fd, operation) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK || code == EAGAIN { return nil }
            throw RecordError.lockFailed(path: path, errno: code)
        }
        return fd
    }

    /// Releases the lock by closing its descriptor.
    static func release(_ fd: Int32) {
        close(fd)
    }
}
