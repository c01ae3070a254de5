import CopyPTRecords
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Warnings the sweep repeats at most once a day: a broken Globus login or an old refresh token
/// is the same news at every cron run, and cron mails every line. Remembered in a cache file,
/// `$XDG_CACHE_HOME/copypt/notices.json` (else `~/.cache/copypt/notices.json`), not in the state
/// directory: it is about the login, not any transfer, and losing it only repeats a notice.
///
/// Each notice has a key and a reason; it is said when it was never said, when the reason
/// changed, or when a day has passed since it was last said. Two sweeps racing may both say
/// it once; a lost or unreadable file only means the notice is said again.
final class DailyNotices: @unchecked Sendable {
    /// One notice as remembered.
    struct Said: Codable, Equatable {
        var reason: String
        var at: Date
    }

    /// How often a notice may be repeated.
    static let interval: TimeInterval = 86_400

    let path: URL
    private let now: @Sendable () -> Date
    private let lock = NSLock()
    private var said: [String: Said]
    private var changed = false

    /// The notices remembered in `path` (none when the file is missing or unreadable).
    init(path: URL, now: @escaping @Sendable () -> Date) {
        self.path = path
        self.now = now
        said = Self.read(path) ?? [:]
    }

    /// The notices file the environment selects, or `nil` without XDG_CACHE_HOME or HOME.
    static func path(environment: [String: String]) -> URL? {
        if let value = environment["XDG_CACHE_HOME"], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true).appendingPathComponent("copypt/notices.json")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/copypt/notices.json")
        }
        return nil
    }

    /// `true` when the notice `key` with `reason` should be said now; remembers that it was.
    func shouldSay(_ key: String, reason: String) -> Bool {
        lock.withLock {
            let at = now()
            if let last = said[key], last.reason == reason, at.timeIntervalSince(last.at) < Self.interval, at >= last.at {
                return false
            }
            said[key] = Said(reason: reason, at: RFC3339.truncated(at))
            changed = true
            return true
        }
    }

    /// Forgets `key`: the trouble is over, so the next occurrence is said at once.
    func clear(_ key: String) {
        lock.withLock {
            if said.removeValue(forKey: key) != nil { changed = true }
        }
    }

    /// Writes the notices back when they changed (atomically, 0600); a failure is ignored, as
    /// the worst outcome is a notice said again.
    func save() {
        let snapshot: [String: Said]? = lock.withLock { changed ? said : nil }
        guard let snapshot else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(snapshot) else { return }
        // The cache directory may not exist yet: make it, private.
        try? FileManager.default.createDirectory(
            at: path.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? AtomicFile.write(data, to: path)
    }

    /// The file's notices, or `nil` when it is missing, a symlink, too big or not ours.
    private static func read(_ path: URL) -> [String: Said]? {
        let fd = open(path.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard let data = try? handle.read(upToCount: 64 * 1024), data.count < 64 * 1024 else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a timestamp"))
            }
            return date
        }
        return try? decoder.decode([String: Said].self, from: data)
    }
}
