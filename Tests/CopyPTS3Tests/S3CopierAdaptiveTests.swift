import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

@testable import CopyPTS3

/// Adaptive concurrency in the copy engine, against a scripted S3 that throttles by how many
/// requests overlap (not by time, so the outcome does not depend on the machine's speed).
@Suite struct S3CopierAdaptiveTests {
    typealias T = S3TestSupport
    static let MiB = PartPlan.mebibyte

    static func copier(_ transport: any HTTPTransport, adaptive: AIMDController.Settings?, concurrency: Int = 16, threshold: Int64 = 5 * MiB) -> S3Copier {
        let client = S3Client(
            transport: transport,
            configuration: AWSConfiguration(s3Endpoint: "http://127.0.0.1:9000", credentialProvider: StaticCredentialProvider(T.credentials)),
            // SlowDown is retried under the usual policy; tiny delays keep the test fast.
            retryPolicy: ExponentialRetryPolicy(base: .milliseconds(2), maxAttempts: 50, maxBackoff: .milliseconds(20), jitter: { 0.5 }),
            logger: Logger(label: "test"))
        return S3Copier(
            client: client,
            configuration: S3CopierConfiguration(
                concurrency: concurrency, multipartThreshold: threshold, partLimits: MultipartLimits(minimumPartSize: 1 * MiB),
                adaptive: adaptive),
            logger: Logger(label: "test"))
    }

    @Test("throttled above 8 requests in flight, an adaptive copy backs off: every object copied, SlowDown seen, the width cut below where it started")
    func backsOff() async throws {
        let transport = ThrottlingTransport(limit: 8)
        let copier = Self.copier(transport, adaptive: .init(start: 32, maximum: 64))
        let items = (0..<300).map { S3CopierTests.item("k\($0)") }
        let summary = try await copier.copy(items, options: CopyOptions())
        #expect(summary.verified == 300)
        #expect(summary.failures.isEmpty)
        let width = try #require(summary.concurrency)
        #expect(width.adaptive)
        #expect(width.cuts >= 1)
        #expect(width.final < 32)
        #expect(width.peak >= 32 && width.peak <= 64)
        #expect(await transport.throttled > 0)
        #expect(await transport.maximum <= 64)
    }

    @Test("unthrottled, an adaptive copy grows past its start, never beyond the cap")
    func grows() async throws {
        let transport = ThrottlingTransport(limit: .max)
        let copier = Self.copier(transport, adaptive: .init(start: 4, maximum: 24))
        let items = (0..<400).map { S3CopierTests.item("k\($0)") }
        let summary = try await copier.copy(items, options: CopyOptions())
        #expect(summary.verified == 400)
        let width = try #require(summary.concurrency)
        #expect(width.cuts == 0)
        #expect(width.peak > 4 && width.peak <= 24)
        #expect(await transport.maximum <= 24)
        #expect(await transport.throttled == 0)
    }

    @Test("a fixed --concurrency never adapts, even when throttled")
    func fixedStaysFixed() async throws {
        let transport = ThrottlingTransport(limit: 2)
        let copier = Self.copier(transport, adaptive: nil, concurrency: 4)
        let summary = try await copier.copy((0..<40).map { S3CopierTests.item("k\($0)") }, options: CopyOptions())
        #expect(summary.verified == 40)
        #expect(summary.concurrency == CopyConcurrency(adaptive: false, peak: 4, final: 4, cuts: 0))
        #expect(await transport.throttled > 0)
    }

    @Test("parts of many big objects share the one adaptive budget with small objects, and all finish (no deadlock)")
    func partsShareTheBudget() async throws {
        let transport = ThrottlingTransport(limit: 6)
        let copier = Self.copier(transport, adaptive: .init(start: 3, maximum: 6), concurrency: 3, threshold: 1 * Self.MiB)
        let big = (0..<8).map { S3CopierTests.item("big\($0)", size: 4 * Self.MiB) }
        let small = (0..<20).map { S3CopierTests.item("small\($0)") }
        let summary = try await copier.copy(big + small, options: CopyOptions())
        #expect(summary.verified == 28)
        #expect(summary.failures.isEmpty)
        #expect(await transport.maximum <= 6 + 8)  // permits, plus unlimited HEAD/Create/Complete steps
        #expect(await transport.parts == 8 * 3)
    }

    @Test("two runs of one adaptive engine share its width: the second starts where the first ended")
    func sharedAcrossRuns() async throws {
        let transport = ThrottlingTransport(limit: 5)
        let copier = Self.copier(transport, adaptive: .init(start: 32, maximum: 64))
        let first = try await copier.copy((0..<100).map { S3CopierTests.item("a\($0)") }, options: CopyOptions())
        let ended = try #require(first.concurrency).final
        #expect(ended < 32)
        await transport.resetMaximum()
        let second = try await copier.copy((0..<100).map { S3CopierTests.item("b\($0)") }, options: CopyOptions())
        #expect(first.verified == 100 && second.verified == 100)
        // Started narrow: the second run never had 32 requests out at once, as a fresh start would.
        #expect(await transport.maximum < 32)
        let cuts = (first: try #require(first.concurrency).cuts, second: try #require(second.concurrency).cuts)
        #expect(cuts.second >= cuts.first)
    }
}

/// A scripted S3 that answers 503 SlowDown whenever more than `limit` requests overlap, and
/// otherwise answers after a short pause: CopyObject, or the multipart steps of a 4 MiB object.
actor ThrottlingTransport: HTTPTransport {
    let limit: Int
    private(set) var maximum = 0
    private(set) var throttled = 0
    private(set) var parts = 0
    private var current = 0

    init(limit: Int) { self.limit = limit }

    nonisolated func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admitted = await enter(isPart: request.method == .put && request.url.contains("partNumber="))
        if admitted { try? await Task.sleep(for: .milliseconds(2)) }
        await leave()
        guard admitted else {
            return S3CopierTests.xml("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>", status: 503)
        }
        let url = request.url
        switch request.method {
        case .head:
            return S3CopierTests.head(size: url.contains("/big") ? 4 * PartPlan.mebibyte : 1024)
        case .post where url.hasSuffix("?uploads="):
            return S3CopierTests.xml("<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>")
        case .post:
            return S3CopierTests.xml("<CompleteMultipartUploadResult><ETag>\"e-3\"</ETag></CompleteMultipartUploadResult>")
        case .put where url.contains("partNumber="):
            return S3CopierTests.xml("<CopyPartResult><ETag>\"p\"</ETag></CopyPartResult>")
        default:
            return S3CopierTests.copyResult(S3CopierTests.eTag)
        }
    }

    private func enter(isPart: Bool) -> Bool {
        current += 1
        maximum = max(maximum, current)
        guard current <= limit else {
            throttled += 1
            return false
        }
        if isPart { parts += 1 }
        return true
    }

    private func leave() { current -= 1 }

    /// Starts counting the overlap afresh.
    func resetMaximum() { maximum = 0 }
}
