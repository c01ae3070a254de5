import CopyPTRecords
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A transfer's append-only journal (see ``JournalEntry`` for the format). Written only by the
/// sweep that holds the record's lock; a kill at any instant leaves at worst a last line cut
/// short, which replay skips.
///
/// `append` writes each entry with one `write(2)` on an `O_APPEND` descriptor; `sync` fsyncs.
/// Multipart `upload` entries are synced at once (before the first part is copied); `done`
/// entries at the end of each batch.
public actor CopyJournal {
    /// The journal file.
    public let path: String
    private var descriptor: Int32

    /// Opens (creating, mode 0600) the journal for appending. If the last line was cut short by
    /// a kill, a newline is written first so the next entry starts on its own line.
    /// - Throws: ``SweepError/journal(path:operation:errno:)``.
    public init(path: String) throws {
        self.path = path
        // O_NOFOLLOW: a `<id>.journal` planted as a symbolic link must not make the sweep append
        // to a file outside the state directory (ELOOP instead, a configuration error).
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw SweepError.journal(path: path, operation: "open", errno: errno) }
        self.descriptor = fd
        if Self.endsWithoutNewline(fd) {
            try Self.write(Data([0x0A]), to: fd, path: path)
        }
    }

    deinit {
        if descriptor >= 0 { _ = closeDescriptor(descriptor) }
    }

    /// Appends `entries`, one line each, in one write.
    /// - Throws: ``SweepError/journal(path:operation:errno:)``.
    public func append(_ entries: [JournalEntry]) throws {
        guard !entries.isEmpty else { return }
        var data = Data()
        for entry in entries { data.append(contentsOf: entry.jsonLine) }
        try Self.write(data, to: descriptor, path: path)
    }

    /// Flushes what was appended to disk.
    public func sync() throws {
        guard fsync(descriptor) == 0 else { throw SweepError.journal(path: path, operation: "fsync", errno: errno) }
    }

    /// Closes the file; later calls fail.
    public func close() {
        if descriptor >= 0 { _ = closeDescriptor(descriptor) }
        descriptor = -1
    }

    // MARK: - Replay

    /// Reads the journal at `path`; a missing file is an empty state. Lines that are not JSON
    /// (a last line cut short by a kill) are counted in ``JournalState/unreadableLines`` and skipped.
    /// - Throws: ``SweepError/journal(path:operation:errno:)`` when it exists but cannot be read.
    public static func replay(path: String) throws -> JournalState {
        var state = JournalState()
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return state }
            throw SweepError.journal(path: path, operation: "open", errno: errno)
        }
        defer { _ = closeDescriptor(fd) }
        // Read in chunks and decode line by line: a 100,000-object journal never sits in memory whole.
        let decoder = JSONDecoder()
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        func consume(_ line: ArraySlice<UInt8>) {
            guard !line.isEmpty else { return }
            if let decoded = try? decoder.decode(JournalEntry.Line.self, from: Data(line)), let entry = JournalEntry(decoded) {
                state.apply(entry)
            } else {
                state.unreadableLines += 1
            }
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SweepError.journal(path: path, operation: "read", errno: errno)
            }
            if count == 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                consume(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(pending.startIndex..<start)
        }
        consume(pending[...])
        return state
    }

    /// Removes the journal at `path`, if any.
    public static func remove(path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw SweepError.journal(path: path, operation: "remove", errno: errno)
        }
    }

    // MARK: - File helpers

    /// Whether the open journal's last byte is not a newline (read through the descriptor
    /// already opened, never by path again).
    private static func endsWithoutNewline(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return false }
        var last: UInt8 = 0
        let count = pread(fd, &last, 1, info.st_size - 1)
        return count == 1 && last != 0x0A
    }

    private static func write(_ data: Data, to fd: Int32, path: String) throws {
        let failure = FullWrite.write(data, to: fd)
        guard failure == 0 else { throw SweepError.journal(path: path, operation: "write", errno: failure) }
    }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}

private func closeDescriptor(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(fd)
    #else
    return Darwin.close(fd)
    #endif
}
