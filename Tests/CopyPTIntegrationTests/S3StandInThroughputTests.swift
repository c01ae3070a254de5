import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Testing

/// Issue 16 against scripts/s3-standin over HTTPS with keep-alive: connections reused at any
/// width, and adaptive concurrency backing off from SlowDown. Counters only, no timing asserts.
@Suite(.serialized) struct S3StandInThroughputTests {
    /// Plans a copy of `count` seeded objects from `src/p/` to `dst/q/`.
    static func planned(_ standIn: S3StandInFixture, _ copier: S3Copier, count: Int) async throws -> [CopyItem] {
        try await standIn.seed(bucket: "src", prefix: "p/", count: count, size: 1024)
        try await standIn.createBucket("dst")
        return try await copier.plan(
            source: S3Location(bucket: "src", key: "p/"), destination: S3Location(bucket: "dst", key: "q/"), recursive: true)
    }

    @Test("a fixed-width copy over HTTPS opens at most 1.1 × its width (its peak in flight) + 1 connections", arguments: [16, 64, 256])
    func connectionsAtWidth(width: Int) async throws {
        // Latency grows with the width so the stand-in (one Python process, sharing two cores)
        // keeps up: its own peak in flight must reach the width for the ratio to mean anything.
        let standIn = try await S3StandInFixture(latencyMilliseconds: 2 * width, width: width + 8)
        defer { Task { await standIn.shutdown() } }
        let copier = standIn.copier(concurrency: width)
        let items = try await Self.planned(standIn, copier, count: width * 4)
        let before = try await standIn.stats()
        let summary = try await copier.copy(items, options: CopyOptions())
        #expect(summary.verified == items.count)
        let after = try await standIn.stats()
        let opened = (after["connections_opened"] as? Int ?? -1) - (before["connections_opened"] as? Int ?? 0)
        let peak = after["peak_in_flight"] as? Int ?? -1
        #expect(peak <= width + 1)
        // The copy's peak in flight is its width (four copies wait for each slot); the stand-in's
        // own count may fall short of it on a loaded machine, so the bound is the client's.
        #expect(Double(opened) <= 1.1 * Double(width) + 1, "\(opened) connections opened for \(items.count) copies at width \(width) (stand-in peak \(peak))")
    }

    @Test("throttled (the next requests answer 503 SlowDown, and a rate limit), an adaptive copy backs off and still copies every object")
    func backsOffFromSlowDown() async throws {
        let standIn = try await S3StandInFixture(latencyMilliseconds: 10, rateLimit: 400)
        defer { Task { await standIn.shutdown() } }
        let copier = standIn.copier(adaptive: AIMDController.Settings(start: 32, maximum: 64))
        let items = try await Self.planned(standIn, copier, count: 600)
        // Whatever the machine's speed, the first answers are SlowDown: the cut is certain.
        try await standIn.configure(["slowdown_next": 5])
        let summary = try await copier.copy(items, options: CopyOptions())
        #expect(summary.verified == 600)
        #expect(summary.failures.isEmpty)
        #expect(try await standIn.count(bucket: "dst", prefix: "q/") == 600)
        let stats = try await standIn.stats()
        #expect(stats["slowdowns"] as? Int ?? 0 >= 5)
        let width = try #require(summary.concurrency)
        #expect(width.adaptive && width.cuts >= 1, "\(width)")
        #expect(width.peak <= 64)
        #expect(stats["peak_in_flight"] as? Int ?? .max <= 64 + 1)
    }
}
