import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The token file: `globus-tokens.json`, mode 0600 in a 0700 directory, replaced atomically
/// (temporary file, fsync, rename, fsync of the directory) so a crash never leaves half a file.
///
/// Refreshes run inside ``withLock(pollInterval:timeout:sleep:_:)``, which takes an exclusive
/// `flock` on the sidecar `<file>.lock`: the token file itself is replaced by rename on every
/// write, so a lock on its inode would not exclude the next writer.
public struct GlobusTokenStore: Sendable {
    /// The token file.
    public let path: URL
    /// The uid copypt runs as: the token file's directory must belong to it or to root.
    public let user: UInt32

    /// A store for the token file at `path`, used by `user` (default: the effective uid).
    public init(path: URL, user: UInt32 = UInt32(geteuid())) {
        self.path = path
        self.user = user
    }

    /// The sidecar lock file, `<token file>.lock`.
    public var lockPath: URL { path.deletingLastPathComponent().appendingPathComponent(path.lastPathComponent + ".lock") }

    // MARK: - Reading

    /// The stored tokens, or `nil` when there is no token file.
    /// - Throws: ``GlobusError/tokenFile(path:operation:errno:)``, ``GlobusError/malformedTokenFile(path:detail:)``.
    public func load() throws -> GlobusTokens? {
        try checkDirectory()
        let fd = open(path.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw GlobusError.tokenFile(path: path.path, operation: "open", errno: errno)
        }
        defer { close(fd) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw GlobusError.tokenFile(path: path.path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            data += chunk[0..<n]
        }
        do {
            return try Self.decoder.decode(GlobusTokens.self, from: Data(data))
        } catch {
            throw GlobusError.malformedTokenFile(path: path.path, detail: "not the JSON copypt writes")
        }
    }

    // MARK: - Writing

    /// Replaces the token file atomically; creates its directory (0700) when missing.
    /// The file is created 0600 whatever the umask.
    public func save(_ tokens: GlobusTokens) throws {
        let directory = path.deletingLastPathComponent()
        try Self.makeDirectory(directory)
        try checkDirectory()
        let body = try Self.encoder.encode(tokens)
        let temporary = directory.appendingPathComponent(".\(path.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw GlobusError.tokenFile(path: temporary.path, operation: "create", errno: errno) }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            guard fchmod(fd, 0o600) == 0 else { throw GlobusError.tokenFile(path: temporary.path, operation: "chmod", errno: errno) }
            try Self.writeAll(fd, Array(body) + [UInt8(ascii: "\n")], path: temporary.path)
            guard fsync(fd) == 0 else { throw GlobusError.tokenFile(path: temporary.path, operation: "fsync", errno: errno) }
            close(fd)
            closed = true
            guard rename(temporary.path, path.path) == 0 else {
                throw GlobusError.tokenFile(path: path.path, operation: "rename", errno: errno)
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
        Self.syncDirectory(directory)
    }

    /// Removes the token file (and its lock file); no error when it is already gone.
    public func delete() throws {
        if unlink(path.path) != 0 && errno != ENOENT {
            throw GlobusError.tokenFile(path: path.path, operation: "delete", errno: errno)
        }
        unlink(lockPath.path)
    }

    // MARK: - Helpers

    /// Refuses a token directory that is writable by group or others or belongs to someone
    /// other than `user` or root (as ssh refuses such a `~/.ssh`): others could replace the
    /// tokens copypt acts with. A missing directory passes.
    /// - Throws: ``GlobusError/configuration(_:)`` saying the chmod or chown to run.
    func checkDirectory() throws {
        let directory = path.deletingLastPathComponent().path
        var info = stat()
        guard stat(directory, &info) == 0 else { return }
        let owner = UInt32(info.st_uid)
        if owner != user && owner != 0 {
            throw GlobusError.configuration(
                "refusing Globus token directory \(directory): it belongs to uid \(owner), not to uid \(user) running copypt "
                    + "(nor root); run `chown \(user) \(directory)` or give a --token-file in a directory of your own")
        }
        if UInt32(info.st_mode) & 0o022 != 0 {
            throw GlobusError.configuration(
                "refusing Globus token directory \(directory): it is writable by group or others (mode "
                    + "\(String(UInt32(info.st_mode) & 0o7777, radix: 8))); run `chmod go-w \(directory)`")
        }
    }

    static func makeDirectory(_ directory: URL) throws {
        var info = stat()
        if stat(directory.path, &info) == 0 { return }
        try makeDirectory(directory.deletingLastPathComponent())
        if mkdir(directory.path, 0o700) != 0 && errno != EEXIST {
            throw GlobusError.tokenFile(path: directory.path, operation: "create directory", errno: errno)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw GlobusError.tokenFile(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    private static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
