@testable import CopyPTGlobus
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct GlobusTokenStoreTests {
    static func tokens(_ access: String = "access-1", refresh: String? = "refresh-1") -> GlobusTokens {
        GlobusTokens(clientID: "client-1", accessToken: access, refreshToken: refresh,
                     expiresAt: Date(timeIntervalSince1970: 1_800_000_000), scope: GlobusConfiguration.transferScope)
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mode & 0o777
    }

    @Test("the token file is created 0600 in a new 0700 directory, even under a permissive umask")
    func permissions() throws {
        let root = try temporaryDirectory()
        let store = GlobusTokenStore(path: root.appendingPathComponent("cfg/copypt/globus-tokens.json"))
        let old = umask(0)
        defer { umask(old) }
        try store.save(Self.tokens())
        #expect(Self.mode(store.path.path) == 0o600)
        #expect(Self.mode(store.path.deletingLastPathComponent().path) == 0o700)
    }

    @Test("save then load round-trips, and a second save replaces the file atomically")
    func roundTrip() throws {
        let root = try temporaryDirectory()
        let store = GlobusTokenStore(path: root.appendingPathComponent("globus-tokens.json"))
        #expect(try store.load() == nil)
        try store.save(Self.tokens())
        #expect(try store.load() == Self.tokens())
        try store.save(Self.tokens("access-2", refresh: "refresh-2"))
        #expect(try store.load()?.refreshToken == "refresh-2")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
        try store.delete()
        #expect(try store.load() == nil)
        try store.delete()
    }

    @Test("a file that is not copypt's JSON is reported with its path and the fix")
    func malformed() throws {
        let root = try temporaryDirectory()
        let path = root.appendingPathComponent("globus-tokens.json")
        try Data("{not json".utf8).write(to: path)
        #expect(throws: GlobusError.malformedTokenFile(path: path.path, detail: "not the JSON copypt writes")) {
            try GlobusTokenStore(path: path).load()
        }
    }

    @Test("two lock holders with separate descriptors exclude each other")
    func lockExcludes() async throws {
        let root = try temporaryDirectory()
        let store = GlobusTokenStore(path: root.appendingPathComponent("globus-tokens.json"))
        let log = Events()
        async let first: Void = store.withLock(sleep: { try await Task.sleep(for: $0) }) {
            log.add("first in")
            try await Task.sleep(for: .milliseconds(150))
            log.add("first out")
        }
        try await Task.sleep(for: .milliseconds(30))
        async let second: Void = store.withLock(sleep: { try await Task.sleep(for: $0) }) {
            log.add("second in")
            log.add("second out")
        }
        _ = try await (first, second)
        #expect(log.items == ["first in", "first out", "second in", "second out"])
    }

    @Test("a lock that is never released times out with the lock path in the error")
    func lockTimeout() async throws {
        let root = try temporaryDirectory()
        let store = GlobusTokenStore(path: root.appendingPathComponent("globus-tokens.json"))
        let fd = open(store.lockPath.path, O_RDWR | O_CREAT, 0o600)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        await #expect(throws: GlobusError.self) {
            try await store.withLock(timeout: .milliseconds(100), sleep: { _ in }) {}
        }
    }
}

/// A thread-safe list of event names.
final class Events: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var items: [String] { lock.withLock { stored } }
    func add(_ item: String) { lock.withLock { stored.append(item) } }
}
