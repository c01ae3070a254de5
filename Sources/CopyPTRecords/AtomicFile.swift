import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement: write a temporary file in the same directory, fsync it,
/// rename it over the target, fsync the directory. A reader sees the old contents or the
/// new, never a mix; a crash before the rename leaves the old file and a stray temporary
/// (`.<name>.tmp-…`, ignored by `RecordStore`).
public enum AtomicFile {
    /// Replaces (or creates) the file at `url` with `data`.
    /// - Parameters:
    ///   - data: the new contents.
    ///   - url: the target file; its directory must exist.
    ///   - permissions: mode of the new file, default 0600.
    /// - Throws: `RecordError.io` naming the step that failed.
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o600) throws {
        let temporary = try writeTemporary(data, beside: url.path, permissions: permissions)
        try commit(temporary: temporary, to: url.path, replacing: true)
    }

    // MARK: - Steps (internal so tests can stop between them)

    /// Writes `data` to a new, fsynced temporary file beside `path`, returning its path.
    static func writeTemporary(_ data: Data, beside path: String, permissions: mode_t = 0o600) throws -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        let temporary = url.deletingLastPathComponent().appendingPathComponent(name).path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw RecordError.io(operation: "create temporary file", path: temporary, errno: errno) }
        do {
            try writeAll(fd, data, path: temporary)
            guard fsync(fd) == 0 else { throw RecordError.io(operation: "fsync", path: temporary, errno: errno) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let code = errno
            unlink(temporary)
            throw RecordError.io(operation: "close", path: temporary, errno: code)
        }
        return temporary
    }

    /// Moves `temporary` into place at `path` and fsyncs the directory.
    /// - Parameter replacing: `false` refuses to replace an existing file (`link(2)`, atomic),
    ///   throwing `RecordError.io` with `EEXIST`.
    static func commit(temporary: String, to path: String, replacing: Bool) throws {
        if replacing {
            guard rename(temporary, path) == 0 else {
                let code = errno
                unlink(temporary)
                throw RecordError.io(operation: "rename into place", path: path, errno: code)
            }
        } else {
            let linked = link(temporary, path)
            let code = errno
            unlink(temporary)
            guard linked == 0 else { throw RecordError.io(operation: "create", path: path, errno: code) }
        }
        try syncDirectory(of: path)
    }

    /// fsyncs the directory holding `path`, so a rename survives power loss.
    static func syncDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw RecordError.io(operation: "open directory", path: directory, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw RecordError.io(operation: "fsync directory", path: directory, errno: errno) }
    }

    private static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        let failure = FullWrite.write(data, to: fd)
        guard failure == 0 else { throw RecordError.io(operation: "write", path: path, errno: failure) }
    }
}
