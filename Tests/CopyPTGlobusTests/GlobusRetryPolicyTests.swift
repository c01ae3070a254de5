@testable import CopyPTGlobus
import Foundation
import Testing

@Suite struct GlobusRetryPolicyTests {
    @Test("back-off doubles from the base, is capped, and stops after the last attempt")
    func schedule() {
        let policy = GlobusRetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(3))
        #expect(policy.delay(afterAttempt: 1) == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 2) == .seconds(1))
        #expect(policy.delay(afterAttempt: 3) == .seconds(2))
        #expect(policy.delay(afterAttempt: 4) == .seconds(3))
        #expect(policy.delay(afterAttempt: 5) == nil)
        #expect(GlobusRetryPolicy.never.delay(afterAttempt: 1) == nil)
    }

    @Test("Retry-After wins over the back-off, capped at the maximum")
    func retryAfterWins() {
        let policy = GlobusRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(500), maxDelay: .seconds(60))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(600)) == .seconds(60))
    }

    @Test("Retry-After is read as delay-seconds or an HTTP-date", arguments: [
        ("3", Duration?.some(.seconds(3))), ("0", .seconds(0)), ("", nil), ("soon", nil),
        ("Fri, 15 Jan 2027 08:00:10 GMT", .seconds(10)),
    ])
    func parse(_ value: String, _ expected: Duration?) throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2027-01-15T08:00:00Z"))
        #expect(GlobusRetryPolicy.retryAfter(value, now: now) == expected)
    }
}
