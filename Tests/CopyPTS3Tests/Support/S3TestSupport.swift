import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging

@testable import CopyPTS3

/// Fixtures and stub-backed clients for the S3 unit tests.
enum S3TestSupport {
    /// The bytes of `Fixtures/<name>`.
    static func fixture(_ name: String) throws -> [UInt8] {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil, subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        return Array(try Data(contentsOf: url))
    }

    struct FixtureMissing: Error { let name: String }

    /// A 200 response whose body is fixture `name`.
    static func ok(_ name: String, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: try fixture(name))
    }

    /// A response with `status` and fixture `name` as body.
    static func status(_ status: Int, _ name: String) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: ["x-amz-request-id": "HDR-ID"], body: try fixture(name))
    }

    /// Fixed test credentials (the AWS documentation's example key pair).
    static let credentials = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    /// Records the delays the client slept.
    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Duration] = []
        var all: [Duration] { lock.withLock { recorded } }
        func append(_ delay: Duration) { lock.withLock { recorded.append(delay) } }
    }

    /// A client on `transport` with a custom endpoint (path-style, configured region), instant sleeps.
    static func client(
        _ transport: StubTransport,
        endpoint: String? = "http://127.0.0.1:9000",
        retryPolicy: any RetryPolicy = ExponentialRetryPolicy(maxAttempts: 3, jitter: { 0.5 }),
        sleeps: Sleeps = Sleeps()
    ) -> S3Client {
        S3Client(
            transport: transport,
            configuration: AWSConfiguration(
                region: "us-east-1", s3Endpoint: endpoint, credentialProvider: StaticCredentialProvider(credentials)),
            retryPolicy: retryPolicy,
            logger: Logger(label: "test"),
            now: { Date(timeIntervalSince1970: 1_786_000_000) },
            sleep: { sleeps.append($0) }
        )
    }
}
