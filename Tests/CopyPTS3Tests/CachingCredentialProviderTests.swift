import Foundation
import Testing
@testable import CopyPTS3

@Suite struct CachingCredentialProviderTests {
    /// Counts calls and hands out credentials expiring `lifetime` seconds after the clock's now.
    final class CountingProvider: CredentialProvider, @unchecked Sendable {
        let clock: TestClock
        let lifetime: TimeInterval?
        private let lock = NSLock()
        private var count = 0
        var failing = false
        init(clock: TestClock, lifetime: TimeInterval?) { self.clock = clock; self.lifetime = lifetime }
        var calls: Int { lock.withLock { count } }
        func credentials() async throws -> AWSCredentials {
            let n: Int = lock.withLock { count += 1; return count }
            if lock.withLock({ failing }) { throw CredentialError.unreachable(source: "test", detail: "down") }
            return AWSCredentials(accessKeyID: "AKID\(n)", secretAccessKey: "s", expiration: lifetime.map { clock.now + $0 })
        }
        func setFailing(_ value: Bool) { lock.withLock { failing = value } }
    }

    @Test("expiring credentials are reused until 5 minutes before expiry, then refreshed")
    func refreshBeforeExpiry() async throws {
        let clock = TestClock()
        let source = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialProvider(wrapping: source, now: clock.closure)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(by: 3600 - 301)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(by: 1)
        #expect(try await cache.credentials().accessKeyID == "AKID2")
        #expect(source.calls == 2)
    }

    @Test("credentials without expiry are fetched once")
    func noExpiry() async throws {
        let clock = TestClock()
        let source = CountingProvider(clock: clock, lifetime: nil)
        let cache = CachingCredentialProvider(wrapping: source, now: clock.closure)
        for _ in 0..<5 { _ = try await cache.credentials() }
        clock.advance(by: 1e7)
        _ = try await cache.credentials()
        #expect(source.calls == 1)
    }

    @Test("concurrent callers share one refresh")
    func sharedRefresh() async throws {
        let clock = TestClock()
        let source = CountingProvider(clock: clock, lifetime: 3600)
        let cache = CachingCredentialProvider(wrapping: source, now: clock.closure)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.credentials().accessKeyID } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids == ["AKID1"])
        #expect(source.calls == 1)
    }

    @Test("a failed refresh keeps still-valid credentials; expired ones make it throw")
    func failedRefresh() async throws {
        let clock = TestClock()
        let source = CountingProvider(clock: clock, lifetime: 600)
        let cache = CachingCredentialProvider(wrapping: source, now: clock.closure)
        _ = try await cache.credentials()
        source.setFailing(true)
        clock.advance(by: 400)   // inside the 5-minute window, not yet expired
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(by: 300)   // expired
        await #expect(throws: CredentialError.self) { try await cache.credentials() }
        source.setFailing(false)
        #expect(try await cache.credentials().accessKeyID == "AKID4")
    }
}
