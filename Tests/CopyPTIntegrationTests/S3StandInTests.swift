import CopyPTTestSupport
import Foundation
import Testing

/// copypt's real executables against scripts/s3-standin over HTTPS (its throwaway CA given as
/// `AWS_CA_BUNDLE`): what the issue-16 bench (scripts/bench P6) measures, checked for function,
/// not for speed. No timing asserts: the counters are the stand-in's own.
@Suite struct S3StandInTests {
    /// The environment of a `copypt copy` child: fake keys, the stand-in as S3, no AWS files.
    static func environment(_ standIn: S3StandIn) -> [String: String?] {
        [
            "AWS_ENDPOINT_URL_S3": standIn.url, "AWS_ENDPOINT_URL": nil, "AWS_CA_BUNDLE": standIn.caBundlePath,
            "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIASTANDINTESTING00", "AWS_SECRET_ACCESS_KEY": "standin-secret-not-real",
            "AWS_SESSION_TOKEN": nil, "AWS_PROFILE": nil, "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent",
            "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        ]
    }

    static func copypt(_ arguments: [String], _ standIn: S3StandIn, extra: [String: String?] = [:]) async throws -> ChildProcess.Result {
        guard let path = BuildProducts.executable("copypt") else {
            throw EndToEndError(description: "copypt not found beside the test bundle; run `swift build` first")
        }
        return try await ChildProcess.run(path, arguments, environment: environment(standIn).merging(extra) { $1 })
    }

    @Test("copypt copy --recursive copies 300 objects over HTTPS on kept-alive connections (connections ≪ requests)")
    func recursiveCopyKeepsConnections() async throws {
        let standIn = try await S3StandIn.start(.init(latencyMs: 5))
        try await standIn.seed(bucket: "stg", prefix: "run/obj-", count: 300, size: 1024)
        try await standIn.seed(bucket: "dst")
        // A fixed width: adaptive concurrency would grow it and (rightly) open more connections;
        // the bound for that is pinned by the throughput tests (≤ 1.1 × peak in flight + hosts).
        let result = try await Self.copypt(
            ["copy", "--recursive", "--json", "--concurrency", "16", "s3://stg/run/", "s3://dst/in/"], standIn)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["objects"] as? Int == 300)
        #expect(try await standIn.count(bucket: "dst", prefix: "in/").objects == 300)
        let stats = try await standIn.stats()
        #expect(stats.operations["CopyObject"] == 300)
        #expect(stats.requests >= 300)
        // Keep-alive: each connection carries many requests; never more connections than requests
        // in flight at the peak plus one per host and a few for libcurl's warm-up.
        #expect(stats.connectionsOpened * 10 <= stats.requests, "\(stats)")
        #expect(stats.peakInFlight >= 2, "\(stats)")
        #expect(stats.slowdowns == 0)
    }

    @Test("a multipart copy of a seeded 12 MiB object runs its UploadPartCopy parts in parallel and completes")
    func multipartPartsInParallel() async throws {
        let standIn = try await S3StandIn.start(.init(partLatencyMsPerMiB: 40))
        try await standIn.seed(bucket: "stg", keys: ["big.bin"], size: 12 << 20)
        try await standIn.seed(bucket: "dst")
        let result = try await Self.copypt(
            ["copy", "--multipart-threshold", "8MiB", "s3://stg/big.bin", "s3://dst/big.bin"], standIn)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let copied = try await standIn.count(bucket: "dst")
        #expect(copied.objects == 1 && copied.bytes == 12 << 20 && copied.uploads == 0)
        let stats = try await standIn.stats()
        let parts = try #require(stats.operations["UploadPartCopy"])
        #expect(parts >= 2)
        #expect(stats.operations["CompleteMultipartUpload"] == 1)
        #expect(stats.partCopyBytes == 12 << 20)
        #expect(stats.peakInFlightByOperation["UploadPartCopy"] == parts, "\(stats)")
    }

    @Test("above its rate limit the stand-in answers 503 SlowDown in S3's XML shape and counts it")
    func slowDownShape() async throws {
        // One token, refilled every 1,000 s: the second request is refused however slowly the machine runs.
        let standIn = try await S3StandIn.start(.init(rateLimit: 0.001, burst: 1))
        try await standIn.seed(bucket: "stg", keys: ["a"], size: 1)
        let first = try await standIn.transport.send(.init(method: .get, url: standIn.url + "/stg?list-type=2"))
        let second = try await standIn.transport.send(.init(method: .get, url: standIn.url + "/stg?list-type=2"))
        #expect(first.status == 200)
        #expect(second.status == 503)
        #expect(second.bodyText.contains("<Code>SlowDown</Code>"))
        #expect(second.bodyText.contains("<Message>Please reduce your request rate.</Message>"))
        let stats = try await standIn.stats()
        #expect(stats.slowdowns == 1 && stats.requests == 2 && stats.connectionsOpened == 1)
    }

    @Test("copypt copy retries the stand-in's SlowDown answers and completes (slowdown_next: no timing)")
    func slowDownRetried() async throws {
        let standIn = try await S3StandIn.start()
        try await standIn.seed(bucket: "stg", keys: ["a.dat"], size: 1024)
        try await standIn.seed(bucket: "dst")
        try await standIn.configure(["slowdown_next": 2])
        let result = try await Self.copypt(["copy", "s3://stg/a.dat", "s3://dst/a.dat"], standIn, extra: ["AWS_MAX_ATTEMPTS": "5"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try await standIn.count(bucket: "dst").objects == 1)
        let stats = try await standIn.stats()
        #expect(stats.slowdowns == 2 && stats.statuses["503"] == 2, "\(stats)")
    }

    @Test("copypt copy retries a connection the stand-in closed unanswered and completes (drop_next: no timing)")
    func droppedConnectionRetried() async throws {
        let standIn = try await S3StandIn.start()
        try await standIn.seed(bucket: "stg", keys: ["a.dat"], size: 1024)
        try await standIn.seed(bucket: "dst")
        try await standIn.configure(["drop_next": 1])
        let result = try await Self.copypt(["copy", "s3://stg/a.dat", "s3://dst/a.dat"], standIn, extra: ["AWS_MAX_ATTEMPTS": "5"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try await standIn.count(bucket: "dst").objects == 1)
        let stats = try await standIn.stats()
        #expect(stats.dropped == 1 && stats.connectionsOpened == 2, "\(stats)")
    }
}
