import CopyPTHTTP
import Testing

@testable import CopyPTS3

@Suite struct RetryPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var error: S3Error
        var attempt: Int
        var delay: Duration?
        var testDescription: String { "\(error) at attempt \(attempt)" }
    }

    static func service(_ status: Int, _ code: String) -> S3Error {
        .service(operation: "CopyObject s3://a/k → s3://b/k", status: status, code: code, message: "", requestID: nil)
    }

    // jitter fixed at 0.5: delay = 0.5 × min(2^(attempt−1) s, 20 s)
    @Test("standard mode retries transient errors with capped exponential back-off", arguments: [
        Case(error: service(500, "InternalError"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(502, "BadGateway"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(503, "SlowDown"), attempt: 2, delay: .seconds(1)),
        Case(error: service(504, "GatewayTimeout"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(400, "RequestTimeout"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(400, "Throttling"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(400, "ThrottlingException"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(400, "RequestLimitExceeded"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(429, "TooManyRequestsException"), attempt: 1, delay: .milliseconds(500)),
        Case(error: service(200, "InternalError"), attempt: 1, delay: .milliseconds(500)),
        Case(error: .unparseableResponse(operation: "x", status: 200, body: "<trunc"), attempt: 1, delay: .milliseconds(500)),
        Case(error: .transport(operation: "x", .connectionLost(host: "h", detail: "reset")), attempt: 1, delay: .milliseconds(500)),
        Case(error: .transport(operation: "x", .timedOut(host: "h", seconds: 30)), attempt: 2, delay: .seconds(1)),
        // The third attempt was the last of three.
        Case(error: service(503, "SlowDown"), attempt: 3, delay: nil),
        // Never on client errors.
        Case(error: service(403, "AccessDenied"), attempt: 1, delay: nil),
        Case(error: service(404, "NoSuchKey"), attempt: 1, delay: nil),
        Case(error: service(412, "PreconditionFailed"), attempt: 1, delay: nil),
        Case(error: service(400, "InvalidRequest"), attempt: 1, delay: nil),
        Case(error: service(403, "SignatureDoesNotMatch"), attempt: 1, delay: nil),
        Case(error: .transport(operation: "x", .tls(host: "h", detail: "untrusted")), attempt: 1, delay: nil),
        Case(error: .sourceChanged(source: "s3://a/k", expectedETag: "\"1\"", actualETag: "\"2\""), attempt: 1, delay: nil),
        Case(error: .verificationFailed(destination: "s3://b/k", detail: "size"), attempt: 1, delay: nil),
    ])
    func standard(_ c: Case) {
        let policy = ExponentialRetryPolicy(maxAttempts: 3, jitter: { 0.5 })
        #expect(policy.delay(for: c.error, attempt: c.attempt) == c.delay)
    }

    @Test("the back-off is capped at 20 s before jitter", arguments: [(1, 1), (5, 16), (6, 20), (10, 20)])
    func capped(attempt: Int, seconds: Int) {
        let policy = ExponentialRetryPolicy(maxAttempts: 100, jitter: { 1.0 })
        #expect(policy.delay(for: Self.service(503, "SlowDown"), attempt: attempt) == .seconds(seconds))
    }

    @Test("jitter scales the delay between zero and the cap")
    func jitter() {
        let zero = ExponentialRetryPolicy(maxAttempts: 3, jitter: { 0 })
        #expect(zero.delay(for: Self.service(500, "InternalError"), attempt: 1) == .zero)
        let real = RetryPolicyTests.defaultPolicy()
        for _ in 0..<100 {
            let delay = real.delay(for: Self.service(500, "InternalError"), attempt: 2)
            #expect(delay.map { $0 >= .zero && $0 < .seconds(2) } == true)
        }
    }

    static func defaultPolicy() -> some RetryPolicy { .default }

    @Test("factories: never, exponential, standard(maxAttempts:)")
    func factories() {
        let error = Self.service(500, "InternalError")
        let never: some RetryPolicy = .never
        #expect(never.delay(for: error, attempt: 1) == nil)
        let exponential: ExponentialRetryPolicy = .exponential(base: .milliseconds(10), maxAttempts: 5)
        #expect(exponential.maxAttempts == 5)
        #expect(exponential.base == .milliseconds(10))
        let standard: ExponentialRetryPolicy = .standard(maxAttempts: 7)
        #expect(standard.maxAttempts == 7)
        #expect(standard.delay(for: error, attempt: 6) != nil)
        #expect(standard.delay(for: error, attempt: 7) == nil)
    }
}
