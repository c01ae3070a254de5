import Foundation

/// A fresh directory under the system temp dir for one test, removed afterwards.
public enum TemporaryDirectory {
    /// Makes a new empty directory, mode 0700 whatever the umask (tests that change the umask
    /// run beside others, and copypt refuses a group- or world-writable state directory).
    public static func make(_ prefix: String = "copypt-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return url
    }

    /// Runs `body` with a new directory and removes it afterwards.
    public static func with<T>(_ prefix: String = "copypt-test", _ body: (URL) throws -> T) throws -> T {
        let url = try make(prefix)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// Async variant of `with(_:_:)`.
    public static func with<T>(_ prefix: String = "copypt-test", _ body: (URL) async throws -> T) async throws -> T {
        let url = try make(prefix)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }
}
