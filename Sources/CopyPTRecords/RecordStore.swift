import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directory of transfer records, and the only code that knows its layout:
///
/// ```
/// <root>/                      0700
///   transfers/                 0700
///     <id>.json                the record (0600), replaced atomically
///     <id>.lock                sidecar lock file, see `withLock`; "<pid> <since>" while held
///     <id>.journal             reserved for the sweep's progress journal
///     .create.lock             serialises `copypt-add` runs
/// ```
/// Files whose names start with `.` or do not end in `.json` are never read as records, and no
/// file in `transfers/` is opened through a symbolic link (`O_NOFOLLOW`). `checkPrivate()`
/// refuses a directory others could write to.
public struct RecordStore: Sendable {
    /// The state directory.
    public let root: URL
    /// The clock stamped into lock files as the holder's start (see `LockOwner`).
    public let now: @Sendable () -> Date
    /// Called by `save(_:)` with the record as stored (`nil` when unreadable) and the one about to
    /// be written, which it may amend: notifications are queued in the very write that changes a
    /// transfer's state this way, so a kill cannot lose one. Default none.
    public var willSave: (@Sendable (_ stored: TransferRecord?, _ record: inout TransferRecord) -> Void)? = nil

    /// A store rooted at `root`; nothing is touched until something is written.
    /// - Parameter now: the clock written into lock files (default: the system clock).
    public init(root: URL, now: @escaping @Sendable () -> Date = { Date() }) {
        self.root = root
        self.now = now
    }

    // MARK: - Layout

    /// `<root>/transfers`.
    public var transfersDirectory: URL { root.appendingPathComponent("transfers", isDirectory: true) }

    /// `<root>/transfers/<id>.json`.
    public func recordURL(for id: String) -> URL { transfersDirectory.appendingPathComponent(id + ".json") }

    /// `<root>/transfers/<id>.lock`, the record's lock file.
    public func lockURL(for id: String) -> URL { transfersDirectory.appendingPathComponent(id + ".lock") }

    /// `<root>/transfers/<id>.journal`, where the sweep may journal a record's progress.
    public func journalURL(for id: String) -> URL { transfersDirectory.appendingPathComponent(id + ".journal") }

    /// Creates `<root>` and `<root>/transfers` with mode 0700 where missing (parents of `<root>`
    /// with the usual mode). Existing directories are left as they are.
    /// - Throws: `RecordError.io` when a directory cannot be created or a path is not a directory.
    public func prepare() throws {
        let parent = root.deletingLastPathComponent().path
        if !Self.isDirectory(parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw RecordError.io(operation: "create directory", path: parent, errno: Self.posixCode(of: error))
            }
        }
        try Self.makePrivateDirectory(root.path)
        try Self.makePrivateDirectory(transfersDirectory.path)
    }

    // MARK: - Reading and writing

    /// Loads one record.
    /// - Throws: `RecordError.invalidID`, `.notFound`, `.corrupt`, `.unsupportedVersion`, `.io`.
    public func load(_ id: String) throws -> TransferRecord {
        guard RecordID.isValid(id) else { throw RecordError.invalidID(id) }
        let path = recordURL(for: id).path
        guard let data = try Self.read(path) else { throw RecordError.notFound(id: id, path: path) }
        let record = try RecordCoding.decode(data, path: path)
        guard record.id == id else {
            throw RecordError.corrupt(path: path, detail: "its \"id\" is \(record.id), not the file name's \(id)")
        }
        return record
    }

    /// Writes `record` atomically over its file (see `AtomicFile`). Call it under the record's
    /// lock (`withLock`) unless the record is brand new.
    /// - Throws: `RecordError.invalidID`, `.encodingFailed`, `.io`.
    public func save(_ record: TransferRecord) throws {
        guard RecordID.isValid(record.id) else { throw RecordError.invalidID(record.id) }
        var record = record
        if let willSave { willSave(try? load(record.id), &record) }
        try AtomicFile.write(RecordCoding.encode(record), to: recordURL(for: record.id))
    }

    /// Writes a new record, creating the state directory (0700) first if needed.
    /// - Throws: `RecordError.alreadyExists` when the id is taken (nothing is overwritten), and
    ///   what `prepare()` and `save(_:)` throw.
    public func create(_ record: TransferRecord) throws {
        guard RecordID.isValid(record.id) else { throw RecordError.invalidID(record.id) }
        try prepare()
        let path = recordURL(for: record.id).path
        let temporary = try AtomicFile.writeTemporary(RecordCoding.encode(record), beside: path)
        do {
            try AtomicFile.commit(temporary: temporary, to: path, replacing: false)
        } catch RecordError.io(_, _, EEXIST) {
            throw RecordError.alreadyExists(id: record.id, path: path)
        }
    }

    /// Runs `body` holding a store-wide lock, waiting for it if needed (holders are brief), so
    /// that "look for an identical transfer, else create one" is atomic across `copypt-add` runs.
    /// Sweeps never take this lock. Creates the state directory.
    public func withCreationLock<T>(_ body: () throws -> T) throws -> T {
        try prepare()
        let lock = FileLock(path: transfersDirectory.appendingPathComponent(".create.lock").path, now: now)
        guard let value = try lock.withLock(blocking: true, body).value else {
            preconditionFailure("a blocking lock cannot be busy")
        }
        return value
    }

    // MARK: - File helpers

    /// The file's contents, or `nil` when it does not exist. A symbolic link is refused (`ELOOP`).
    static func read(_ path: String) throws -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw RecordError.io(operation: "open", path: path, errno: errno)
        }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RecordError.io(operation: "read", path: path, errno: errno)
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// mkdir with mode 0700 exactly (chmod afterwards, so the umask cannot widen or narrow it).
    private static func makePrivateDirectory(_ path: String) throws {
        if mkdir(path, 0o700) == 0 {
            guard chmod(path, 0o700) == 0 else { throw RecordError.io(operation: "chmod", path: path, errno: errno) }
            return
        }
        let code = errno
        if code == EEXIST && isDirectory(path) { return }
        throw RecordError.io(operation: "create directory", path: path, errno: code == EEXIST ? ENOTDIR : code)
    }

    private static func posixCode(of error: any Error) -> Int32 {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return ns.domain == NSPOSIXErrorDomain ? Int32(ns.code) : EIO
    }

    private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.read(fd, buffer, count)
        #else
        return Darwin.read(fd, buffer, count)
        #endif
    }
}
