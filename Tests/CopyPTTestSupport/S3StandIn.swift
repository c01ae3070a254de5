import CopyPTHTTP
import Foundation

/// `scripts/s3-standin`: a fast in-memory S3 stand-in with HTTP/1.1 keep-alive, optional HTTPS
/// with a throwaway CA, per-request latency, an optional SlowDown rate limit and counters
/// (connections opened, peak in-flight requests, requests by operation). It does not check SigV4
/// (any credentials work); its other differences from S3 are listed in scripts/lib/standin_store.py.
/// Each test starts its own; it stops when released or on ``shutdown()``.
public final class S3StandIn: Sendable {
    /// The stand-in process.
    public let server: ServerProcess
    /// The throwaway CA's PEM file, for `AWS_CA_BUNDLE` (`nil` over plain HTTP).
    public let caBundlePath: String?
    /// The transport the admin calls use (trusting ``caBundlePath``).
    public let transport: CurlTransport
    private let directory: URL

    /// `https://127.0.0.1:<port>` (or `http://`): the endpoint for `AWS_ENDPOINT_URL_S3`.
    public var url: String { (caBundlePath == nil ? "http" : "https") + "://127.0.0.1:\(server.port)" }

    /// What the stand-in is started with; every default is stated on its property.
    public struct Options: Sendable {
        /// Serve HTTPS with a throwaway CA. Default `true`.
        public var https: Bool
        /// Every S3 answer waits this long, in milliseconds. Default 0.
        public var latencyMs: Double
        /// UploadPartCopy waits this many extra milliseconds per MiB copied. Default 0.
        public var partLatencyMsPerMiB: Double
        /// Requests per second above which it answers 503 SlowDown; 0 for none. Default 0.
        public var rateLimit: Double
        /// The token bucket's depth; 0 for `rateLimit / 10`. Default 0.
        public var burst: Double
        /// CompleteMultipartUpload's smallest non-last part (EntityTooSmall). Default 5 MiB, as S3.
        public var minPartSize: Int

        /// Creates options; see each property for its default.
        public init(
            https: Bool = true, latencyMs: Double = 0, partLatencyMsPerMiB: Double = 0,
            rateLimit: Double = 0, burst: Double = 0, minPartSize: Int = 5 << 20
        ) {
            self.https = https
            self.latencyMs = latencyMs
            self.partLatencyMsPerMiB = partLatencyMsPerMiB
            self.rateLimit = rateLimit
            self.burst = burst
            self.minPartSize = minPartSize
        }
    }

    private init(server: ServerProcess, caBundlePath: String?, transport: CurlTransport, directory: URL) {
        self.server = server
        self.caBundlePath = caBundlePath
        self.transport = transport
        self.directory = directory
    }

    /// Starts the stand-in on a free loopback port and returns once it accepts connections
    /// (the CA exists by then: it is made before the port opens).
    public static func start(_ options: Options = Options()) async throws -> S3StandIn {
        let directory = try TemporaryDirectory.make("copypt-standin")
        var arguments = [
            "--port", "{port}", "--latency-ms", String(options.latencyMs),
            "--part-latency-ms-per-mib", String(options.partLatencyMsPerMiB),
            "--rate-limit", String(options.rateLimit), "--burst", String(options.burst),
            "--min-part-size", String(options.minPartSize),
        ]
        if options.https { arguments += ["--tls-dir", directory.appendingPathComponent("tls").path] }
        let server = try await ServerProcess.launch(executable: ProjectPaths.script("s3-standin").path, arguments: arguments)
        let ca = options.https ? directory.appendingPathComponent("tls/ca.pem").path : nil
        let transport = try CurlTransport(configuration: .init(caBundlePath: ca))
        return S3StandIn(server: server, caBundlePath: ca, transport: transport, directory: directory)
    }

    /// Stops the stand-in now and waits until it has exited.
    public func shutdown() async {
        await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Admin API

    /// Why an admin call failed (the stand-in's one-line reason included).
    public struct AdminError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The stand-in's counters since it started or since ``resetStats()``.
    public struct Stats: Sendable, Decodable, Equatable {
        /// Connections that carried at least one S3 request (port probes and admin calls not counted).
        public var connectionsOpened: Int
        /// The most such connections open at once.
        public var peakConnectionsOpen: Int
        /// S3 requests received (admin calls not counted).
        public var requests: Int
        /// The most S3 requests in flight at once (received, not yet answered).
        public var peakInFlight: Int
        /// Requests by S3 operation, e.g. `CopyObject`.
        public var operations: [String: Int]
        /// The most requests of each operation in flight at once.
        public var peakInFlightByOperation: [String: Int]
        /// Answers by HTTP status (`"200"`, `"503"`).
        public var statuses: [String: Int]
        /// 503 SlowDown answers (the rate limit and `slowdown_next`).
        public var slowdowns: Int
        /// Requests whose connection was closed unanswered (`drop_next`).
        public var dropped: Int
        /// Bytes UploadPartCopy copied.
        public var partCopyBytes: Int64
        /// The sum of the part-size latencies UploadPartCopy answers waited, in seconds.
        public var partLatencySeconds: Double
    }

    /// The counters.
    public func stats() async throws -> Stats {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Stats.self, from: Data(try await admin(.get, "stats")))
    }

    /// Zeroes the counters (connections still open and requests in flight stay counted as such).
    public func resetStats() async throws {
        _ = try await admin(.post, "stats/reset", body: [])
    }

    /// Changes settings at run time: keys `latency_ms`, `part_latency_ms_per_mib`, `rate_limit`,
    /// `burst`, `slowdown_next` (the next N S3 requests answer 503 SlowDown whatever the rate) and
    /// `drop_next` (the next N S3 requests get their connection closed unanswered): back-off tests
    /// without timing.
    public func configure(_ settings: [String: Double]) async throws {
        _ = try await admin(.post, "config", body: try Self.json(settings))
    }

    /// Creates `bucket` when missing and `count` objects `prefix` + a zero-padded 6-digit index
    /// (`000000`, `000001`, …) of `size` bytes each, held as size and synthetic ETag only.
    public func seed(bucket: String, prefix: String = "", count: Int = 0, size: Int64 = 0) async throws {
        _ = try await admin(.post, "seed", body: try Self.json(["bucket": bucket, "prefix": prefix, "count": count, "size": size]))
    }

    /// Creates `bucket` when missing and the named objects of `size` bytes each.
    public func seed(bucket: String, keys: [String], size: Int64) async throws {
        _ = try await admin(.post, "seed", body: try Self.json(["bucket": bucket, "keys": keys, "size": size]))
    }

    /// How many objects (and bytes) are under `prefix` in `bucket`, and the bucket's open uploads.
    public func count(bucket: String, prefix: String = "") async throws -> (objects: Int, bytes: Int64, uploads: Int) {
        struct Count: Decodable { var objects: Int; var bytes: Int64; var uploads: Int }
        let query = "count?bucket=\(bucket)&prefix=" + (prefix.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let value = try JSONDecoder().decode(Count.self, from: Data(try await admin(.get, query)))
        return (value.objects, value.bytes, value.uploads)
    }

    private static func json(_ value: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: value))
    }

    private func admin(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) async throws -> [UInt8] {
        let response = try await transport.send(HTTPRequest(
            method: method, url: url + "/__standin/" + path, headers: ["Content-Type": "application/json"], body: body))
        guard response.isSuccess else {
            throw AdminError(description: "s3-standin \(path) answered \(response.status): \(response.bodyText)")
        }
        return response.body
    }
}
