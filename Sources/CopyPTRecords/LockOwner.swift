import Foundation

/// Who holds a lock and since when: what a lock holder writes into its lock file after taking
/// the lock (`"<pid> <RFC 3339 time>\n"`), so `copypt status` and the sweep can say
/// "busy since T (pid N)" about a record held elsewhere.
public struct LockOwner: Sendable, Hashable, CustomStringConvertible {
    /// The holder's process id (in the holder's pid namespace).
    public var pid: Int32
    /// When it took the lock (to the second).
    public var since: Date

    /// An owner.
    public init(pid: Int32, since: Date) {
        self.pid = pid
        self.since = RFC3339.truncated(since)
    }

    /// `busy since 2026-12-05T20:00:00Z (pid 1234)`.
    public var description: String { "busy since \(RFC3339.string(from: since)) (pid \(pid))" }

    /// The lock-file line, newline included.
    var line: String { "\(pid) \(RFC3339.string(from: since))\n" }

    /// Reads a lock-file line; `nil` for anything else (an empty file: nobody wrote one).
    init?(line: String) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count == 2, let pid = Int32(fields[0]), pid > 0,
              let since = RFC3339.date(from: String(fields[1]))
        else { return nil }
        self.init(pid: pid, since: since)
    }
}
