import CopyPTHTTP
import CopyPTS3
import Foundation
import Logging
import Synchronization
import Testing

/// The copy engine end to end against moto_server: real HTTP, real signatures, real bytes.
@Suite struct S3CopierIntegrationTests {
    typealias F = S3MotoFixture

    static let awkwardKeys = [
        "run42/plain.txt", "run42/with space.txt", "run42/plus+sign.txt", "run42/per%cent.txt", "run42/tilde~.txt",
        "run42/equals=sign.txt", "run42/ünïcödé/日本語.txt", "run42/a/b/c/d/e/f/g/deep.txt", "run42/empty.dat",
        "run42/sub dir/x+y=z%~.bin",
    ]

    static func content(_ key: String) -> [UInt8] {
        key.hasSuffix("empty.dat") ? [] : Array("content of \(key)".utf8)
    }

    final class Events: Sendable {
        private let box = Mutex<[CopyEvent]>([])
        var all: [CopyEvent] { box.withLock { $0 } }
        func append(_ event: CopyEvent) { box.withLock { $0.append(event) } }
    }

    @Test("recursive copy of awkward keys, 0-byte objects and deep nesting: every object byte-identical, one request each")
    func recursiveAwkwardKeys() async throws {
        let s3 = try await F()
        try await s3.createBucket("rec-src")
        try await s3.createBucket("rec-dst")
        for key in Self.awkwardKeys { try await s3.put("rec-src", key, Self.content(key)) }
        try await s3.put("rec-src", "run420/sibling.txt", Array("not under run42/".utf8))
        let copier = s3.copier()
        let items = try await copier.plan(
            source: try S3Location(parsing: "s3://rec-src/run42"), destination: try S3Location(parsing: "s3://rec-dst/in/run42"), recursive: true)
        #expect(items.count == Self.awkwardKeys.count)
        let events = Events()
        let summary = try await copier.copy(items, options: CopyOptions(acl: .bucketOwnerFullControl)) { events.append($0) }
        #expect(summary.verified == Self.awkwardKeys.count)
        #expect(summary.failures.isEmpty)
        // One CopyObject per object, verified from its own answer.
        #expect(summary.requests == Self.awkwardKeys.count)
        #expect(events.all.filter { $0 == .verified(items[0], .eTagMatch) }.count == 1)
        for key in Self.awkwardKeys {
            let relative = String(key.dropFirst("run42/".count))
            #expect(try await s3.get("rec-dst", "in/run42/" + relative) == Self.content(key), "\(key)")
        }
        #expect(try await s3.get("rec-dst", "in/run42/sibling.txt") == nil)
        #expect(try await s3.get("rec-dst", "in/sibling.txt") == nil)
    }

    @Test("a prefix with a trailing slash copies the same objects to the same keys", arguments: ["s3://pfx-src/run42/", "s3://pfx-src/run42"])
    func prefixSlash(source: String) async throws {
        let s3 = try await F()
        try await s3.createBucket("pfx-src")
        try await s3.createBucket("pfx-dst")
        for key in ["run42/a", "run42/b/c", "run42x/not"] { try await s3.put("pfx-src", key, Array(key.utf8)) }
        let copier = s3.copier()
        let items = try await copier.plan(source: try S3Location(parsing: source), destination: try S3Location(parsing: "s3://pfx-dst/out/"), recursive: true)
        let summary = try await copier.copy(items, options: CopyOptions())
        #expect(summary.verified == 2)
        #expect(try await s3.get("pfx-dst", "out/a") == Array("run42/a".utf8))
        #expect(try await s3.get("pfx-dst", "out/b/c") == Array("run42/b/c".utf8))
        #expect(try await s3.get("pfx-dst", "out/not") == nil)
    }

    @Test("multipart copy with a small threshold keeps bytes, metadata and tags")
    func multipart() async throws {
        let s3 = try await F()
        try await s3.createBucket("mpc-src")
        try await s3.createBucket("mpc-dst")
        let data = F.bytes(3 << 20, seed: 3)
        try await s3.put("mpc-src", "big/run 42.h5", data, headers: [("Content-Type", "application/x-hdf5"), ("x-amz-meta-run", "42"), ("x-amz-tagging", "project=climate&run=42")])
        try await s3.put("mpc-src", "big/small.txt", Array("small".utf8))
        let copier = s3.copier(concurrency: 4)
        let items = try await copier.plan(source: try S3Location(parsing: "s3://mpc-src/big/"), destination: try S3Location(parsing: "s3://mpc-dst/big/"), recursive: true)
        let events = Events()
        let summary = try await copier.copy(items, options: CopyOptions()) { events.append($0) }
        #expect(summary.verified == 2)
        #expect(try await s3.get("mpc-dst", "big/run 42.h5") == data)
        let head = try await s3.client().headObject(S3Location(bucket: "mpc-dst", key: "big/run 42.h5"))
        #expect(head.metadata["run"] == "42")
        #expect(head.systemHeaders["content-type"] == "application/x-hdf5")
        #expect(try await s3.tags("mpc-dst", "big/run 42.h5") == ["project=climate", "run=42"])
        let parts = events.all.compactMap { if case .partCopied(_, let n, let of, _) = $0 { (n, of) } else { nil } }
        #expect(parts.count == 4)
        #expect(parts.allSatisfy { $0.1 == 4 })
    }

    @Test("a multipart copy stopped mid-way resumes with its UploadId and copies only the missing parts")
    func resumeAfterCancel() async throws {
        let s3 = try await F()
        try await s3.createBucket("res-src")
        try await s3.createBucket("res-dst")
        let data = F.bytes(3 << 20, seed: 9)
        try await s3.put("res-src", "big.bin", data)
        // Parts other than 1 hang on a slow link, so the stop leaves exactly part 1 in place.
        let slow = S3Copier(
            client: S3Client(transport: SlowPartsTransport(base: s3.transport), configuration: s3.client().configuration, logger: Logger(label: "test")),
            configuration: s3.copier(concurrency: 4).configuration, logger: Logger(label: "test"))
        let items = try await slow.plan(source: try S3Location(parsing: "s3://res-src/big.bin"), destination: try S3Location(parsing: "s3://res-dst/"), recursive: false)
        let (stream, continuation) = AsyncStream<CopyEvent>.makeStream()
        let first = Task { try await slow.copy(items, options: CopyOptions()) { continuation.yield($0) } }
        var uploadID: String?
        for await event in stream {
            if case .multipartStarted(_, let id, let plan) = event {
                uploadID = id
                #expect(plan.partCount == 4)
            }
            if case .partCopied = event { first.cancel(); break }
        }
        let stopped = await first.result
        #expect(throws: CancellationError.self) { try stopped.get() }
        let id = try #require(uploadID)
        let inPlace = try await s3.client().listParts(items[0].destination, uploadID: id)
        #expect(inPlace.map(\.partNumber) == [1])
        #expect(try await s3.get("res-dst", "big.bin") == nil)

        let events = Events()
        let summary = try await s3.copier(concurrency: 4).copy(items, options: CopyOptions(), resume: [items[0].destination: id]) { events.append($0) }
        #expect(summary.verified == 1)
        let copiedAgain = events.all.filter { if case .partCopied = $0 { true } else { false } }.count
        #expect(copiedAgain == 4 - inPlace.count)
        #expect(!events.all.contains { if case .multipartStarted = $0 { true } else { false } })
        #expect(try await s3.get("res-dst", "big.bin") == data)
    }

    @Test("a multipart copy failing permanently is aborted and reported")
    func abortOnFailure() async throws {
        let s3 = try await F()
        try await s3.createBucket("abt-src")
        try await s3.createBucket("abt-dst")
        try await s3.put("abt-src", "big.bin", F.bytes(2 << 20))
        let copier = s3.copier(concurrency: 2)
        let items = try await copier.plan(source: try S3Location(parsing: "s3://abt-src/big.bin"), destination: try S3Location(parsing: "s3://abt-dst/big.bin"), recursive: false)
        let client = s3.client()
        let upload = Mutex<String?>(nil)
        let summary = try await copier.copy(items, options: CopyOptions()) { event in
            if case .multipartStarted(_, let id, _) = event {
                upload.withLock { $0 = id }
                // The source disappears: every part copy now fails with a 404.
                _ = try await client.deleteObjects(["big.bin"], in: "abt-src")
            }
        }
        let failure = try #require(summary.failures.first)
        #expect(!failure.error.isRetryable)
        let id = try #require(upload.withLock { $0 })
        await #expect(throws: S3Error.self) { _ = try await client.listParts(items[0].destination, uploadID: id) }
        #expect(try await s3.get("abt-dst", "big.bin") == nil)
    }

    @Test("a source changed after planning is never copied wrong (single and multipart)", arguments: [100, 3 << 20])
    func sourceChanged(size: Int) async throws {
        let s3 = try await F()
        try await s3.createBucket("chg-src")
        try await s3.createBucket("chg-dst")
        try await s3.put("chg-src", "k.bin", F.bytes(size, seed: 1))
        let copier = s3.copier(concurrency: 2)
        let items = try await copier.plan(source: try S3Location(parsing: "s3://chg-src/k.bin"), destination: try S3Location(parsing: "s3://chg-dst/k.bin"), recursive: false)
        // Same size, other bytes: only the ETag tells.
        let changed = F.bytes(size, seed: 2)
        let summary: CopySummary
        if size < 1 << 20 {
            try await s3.put("chg-src", "k.bin", changed)
            summary = try await copier.copy(items, options: CopyOptions())
        } else {
            summary = try await copier.copy(items, options: CopyOptions()) { event in
                if case .multipartStarted = event { try await s3.put("chg-src", "k.bin", changed) }
            }
        }
        let failure = try #require(summary.failures.first)
        guard case .sourceChanged = failure.error else {
            Issue.record("expected sourceChanged, got \(failure.error)")
            return
        }
        #expect(!failure.error.isRetryable)
        #expect(try await s3.get("chg-dst", "k.bin") == nil)
    }
}

/// The network as seen by a copy that is about to be killed: UploadPartCopy of any part but
/// the first waits (cancellably) before going out over the real transport.
struct SlowPartsTransport: HTTPTransport {
    let base: any HTTPTransport

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.contains("partNumber="), !request.url.contains("partNumber=1&") {
            try await Task.sleep(for: .seconds(60))
        }
        return try await base.send(request)
    }
}
