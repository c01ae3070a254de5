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
///
/// The holder writes `LockOwner`'s line ("<pid> <time>") into the lock file once it holds the
/// lock and empties the file before releasing it, so others can say who holds it and since
/// when (`owner(ofLockAt:)`); the file's contents never decide who holds the lock.
public struct FileLock: Sendable {
    /// The lock file.
    public let path: String
    /// The clock stamped into the lock file as the holder's start.
    let now: @Sendable () -> Date

    /// A lock on `path` (the file is created when first locked).
    /// - Parameter now: the clock written into the lock file (default: the system clock).
    public init(path: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.path = path
        self.now = now
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
        // O_NOFOLLOW: a lock "file" planted as a symbolic link must not make copypt create or
        // write a file elsewhere.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw RecordError.io(operation: "open lock file", path: path, errno: errno) }
        let operation = blocking ? LOCK_EX : (LOCK_EX | LOCK_NB)
        while flock(fd, operation) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK || code == EAGAIN { return nil }
            throw RecordError.lockFailed(path: path, errno: code)
        }
        // Who holds it, for `owner(ofLockAt:)`; best effort: the lock is held either way.
        let line = Array(LockOwner(pid: getpid(), since: now()).line.utf8)
        if ftruncate(fd, 0) == 0 {
            _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return fd
    }

    /// Releases the lock: empties the owner line, then closes the descriptor.
    static func release(_ fd: Int32) {
        _ = ftruncate(fd, 0)
        close(fd)
    }

    // MARK: - Who holds it

    /// The owner of the lock at `path` when someone holds it now, else `nil` (free, never
    /// taken, no owner line, or not readable). Reads the owner line first and probes the lock
    /// (a shared, non-blocking `flock`, dropped at once) only when there is one, so a free
    /// lock is never touched; a line left by a holder that was killed is ignored, as the
    /// kernel released its lock.
    public static func owner(ofLockAt path: String) -> LockOwner? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0, info.st_size < 256 else {
            return nil
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0, let owner = LockOwner(line: String(decoding: buffer[0..<count], as: UTF8.self)) else { return nil }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return errno == EWOULDBLOCK || errno == EAGAIN ? owner : nil
    }
}
