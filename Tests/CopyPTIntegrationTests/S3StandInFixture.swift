import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging

/// One scripts/s3-standin (issue 16's fast S3 stand-in) over HTTPS with its throwaway CA, for
/// one test: a ``CurlTransport`` that trusts the CA, and its admin API (seed, settings, counters).
struct S3StandInFixture {
    let server: ServerProcess
    let tlsDirectory: URL
    let transport: CurlTransport

    /// Starts the stand-in with `latencyMilliseconds` per S3 answer and, when above 0, a
    /// SlowDown rate limit of `rateLimit` requests/s; the transport runs `width` requests at once.
    init(latencyMilliseconds: Int = 0, rateLimit: Int = 0, width: Int = 64) async throws {
        tlsDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-standin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tlsDirectory, withIntermediateDirectories: true)
        server = try await ServerProcess.launch(
            executable: ProjectPaths.script("s3-standin").path,
            arguments: [
                "--port", "{port}", "--tls-dir", tlsDirectory.path, "--latency-ms", String(latencyMilliseconds),
                "--rate-limit", String(rateLimit),
            ])
        transport = try CurlTransport(configuration: .init(
            maxConcurrentRequests: width, caBundlePath: tlsDirectory.appendingPathComponent("ca.pem").path))
    }

    var endpoint: String { "https://127.0.0.1:\(server.port)" }

    /// A copy engine on this stand-in: fixed `concurrency`, or adaptive with `adaptive`.
    func copier(concurrency: Int = 16, adaptive: AIMDController.Settings? = nil) -> S3Copier {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = S3Client(
            transport: transport,
            configuration: AWSConfiguration(
                region: "us-east-1", s3Endpoint: endpoint,
                credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDSTANDIN", secretAccessKey: "any"))),
            retryPolicy: ExponentialRetryPolicy(base: .milliseconds(20), maxAttempts: 10, maxBackoff: .milliseconds(500)),
            logger: logger)
        return S3Copier(client: client, configuration: S3CopierConfiguration(concurrency: concurrency, adaptive: adaptive), logger: logger)
    }

    /// Creates `count` objects of `size` bytes named `prefix` + a zero-padded index.
    func seed(bucket: String, prefix: String, count: Int, size: Int) async throws {
        _ = try await admin(.post, "/__standin/seed", ["bucket": bucket, "prefix": prefix, "count": count, "size": size])
    }

    /// Creates an empty bucket.
    func createBucket(_ bucket: String) async throws {
        _ = try await admin(.post, "/__standin/seed", ["bucket": bucket, "count": 0, "size": 0])
    }

    /// Changes settings, e.g. `["slowdown_next": 3]`.
    func configure(_ settings: [String: Any]) async throws {
        _ = try await admin(.post, "/__standin/config", settings)
    }

    /// The counters: `connections_opened`, `peak_in_flight`, `requests`, `slowdowns`, …
    func stats() async throws -> [String: Any] {
        try await admin(.get, "/__standin/stats", nil)
    }

    /// Objects under `prefix`.
    func count(bucket: String, prefix: String) async throws -> Int {
        try await admin(.get, "/__standin/count?bucket=\(bucket)&prefix=\(prefix)", nil)["objects"] as? Int ?? -1
    }

    private func admin(_ method: HTTPMethod, _ path: String, _ document: [String: Any]?) async throws -> [String: Any] {
        let body = try document.map { try JSONSerialization.data(withJSONObject: $0) }.map(Array.init) ?? []
        let response = try await transport.send(HTTPRequest(
            method: method, url: endpoint + path, headers: ["Content-Type": "application/json"], body: body))
        guard response.isSuccess,
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw StandInError(description: "\(method.rawValue) \(path): \(response.status) \(response.bodyText)")
        }
        return object
    }

    func shutdown() async {
        await server.shutdown()
        try? FileManager.default.removeItem(at: tlsDirectory)
    }
}

/// The stand-in's admin API answered something unexpected.
struct StandInError: Error, CustomStringConvertible {
    let description: String
}
