import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Synchronization
import Testing

@testable import CopyPTCLI

/// `copypt copy`: argument checking (exit 2, no request), sizes, options, exit statuses.
@Suite struct CopyCommandTests {
    /// Collects what the command prints.
    final class Captured: Sendable {
        private let box = Mutex<(out: String, err: String)>(("", ""))
        var out: String { box.withLock { $0.out } }
        var err: String { box.withLock { $0.err } }
        func context(_ environment: [String: String] = [:]) -> CommandContext {
            CommandContext(
                environment: environment, standardOutput: { text in self.box.withLock { $0.out += text } },
                standardError: { text in self.box.withLock { $0.err += text } })
        }
    }

    static let environment = [
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1", "HOME": "/nonexistent",
        "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
    ]

    static func run(_ arguments: [String], stub: StubTransport, environment: [String: String] = environment) async throws -> (Int32, Captured) {
        let command = try CopyPTCommand.Copy.parse(arguments)
        let captured = Captured()
        var runner = CopyCommandRunner(command: command, context: captured.context(environment))
        runner.transport = stub
        return (await runner.run(), captured)
    }

    @Test("bad input exits 2 with a sentence and sends no request", arguments: [
        ["bucket/key", "s3://dest/"],
        ["s3://src/key", "s3://d"],
        ["s3://src/prefix/", "s3://dest/"],
        ["s3://src", "s3://dest/"],
        ["--concurrency", "0", "s3://src/k", "s3://dest/"],
        ["--multipart-threshold", "6GiB", "s3://src/k", "s3://dest/"],
        ["--multipart-threshold", "lots", "s3://src/k", "s3://dest/"],
        ["--dest-owner", "12345", "s3://src/k", "s3://dest/"],
        ["--source-owner", "abcdefghijkl", "s3://src/k", "s3://dest/"],
        ["--sse", "AES256", "--sse-kms-key-id", "k1", "s3://src/k", "s3://dest/"],
    ])
    func badInput(arguments: [String]) async throws {
        let result = await CLI.run(["copy"] + arguments, environment: Self.environment)
        #expect(result.status == 2)
        #expect(result.isOneLineError)
        #expect(result.stderr.hasPrefix("copypt copy: "))
        #expect(result.stdout.isEmpty)
        // The same checks guard the runner itself: no request is made.
        if let command = try? CopyPTCommand.Copy.parse(arguments) {
            let stub = StubTransport()
            var runner = CopyCommandRunner(command: command, context: Captured().context(Self.environment))
            runner.transport = stub
            #expect(await runner.run() == 2)
            #expect(stub.requests.isEmpty)
        }
    }

    @Test("an unknown profile is a configuration error: exit 2, no request")
    func unknownProfile() async throws {
        let stub = StubTransport()
        let (status, captured) = try await Self.run(["--profile", "nope", "s3://src/k", "s3://dest/"], stub: stub)
        #expect(status == 2)
        #expect(stub.requests.isEmpty)
        #expect(captured.err.contains("nope"))
    }

    @Test("options become copy headers: ACL by default, storage class, SSE-KMS, owners")
    func options() throws {
        let command = try CopyPTCommand.Copy.parse([
            "--storage-class", "INTELLIGENT_TIERING", "--sse-kms-key-id", "alias/k", "--dest-owner", "111122223333",
            "--source-owner", "444455556666", "--concurrency", "32", "--multipart-threshold", "64MiB", "s3://src/k", "s3://dest/",
        ])
        let input = try CopyCommandRunner(command: command, context: Captured().context()).checkedInput()
        #expect(input.options == CopyOptions(
            acl: .bucketOwnerFullControl, storageClass: "INTELLIGENT_TIERING", serverSideEncryption: .kms(keyID: "alias/k"),
            destinationOwner: "111122223333", sourceOwner: "444455556666"))
        #expect(input.configuration.concurrency == 32)
        #expect(input.configuration.multipartThreshold == 64 << 20)
        let none = try CopyPTCommand.Copy.parse(["--acl", "none", "s3://src/k", "s3://dest/"])
        #expect(try CopyCommandRunner(command: none, context: Captured().context()).checkedInput().options.acl == nil)
    }

    static let sizeTable: [(String, Int64)] = [
        ("1048576", 1 << 20), ("64MiB", 64 << 20), ("64MB", 64 << 20), ("64M", 64 << 20), ("5GiB", 5 << 30),
        ("512k", 512 << 10), ("0", 0), ("1 TiB", 1 << 40),
    ]

    @Test("sizes: bytes and binary units", arguments: sizeTable)
    func sizes(text: String, bytes: Int64) {
        #expect(CopyByteSize.parse(text) == bytes)
    }

    @Test("non-sizes are refused", arguments: ["", "MiB", "-5", "5XB", "1.5GiB", "99999999999999999999"])
    func notSizes(text: String) {
        #expect(CopyByteSize.parse(text) == nil)
    }

    @Test("a permanent failure exits 1, transient trouble 75, with JSON on standard output")
    func exitStatuses() async throws {
        let denied = StubTransport(handler: { request in
            if request.method == .head { return HTTPResponse(status: 200, headers: ["Content-Length": "3", "ETag": "\"e\""]) }
            return HTTPResponse(status: 403, body: Array("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".utf8))
        })
        let (status, captured) = try await Self.run(["--json", "s3://src/k", "s3://dest/"], stub: denied)
        #expect(status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any]
        #expect(json?["exit_status"] as? Int == 1)
        #expect((json?["failed"] as? [[String: Any]])?.first?["retryable"] as? Bool == false)
        #expect(captured.err.contains("AccessDenied"))

        let busy = StubTransport(handler: { request in
            if request.method == .head { return HTTPResponse(status: 200, headers: ["Content-Length": "3", "ETag": "\"e\""]) }
            return HTTPResponse(status: 503, body: Array("<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>".utf8))
        })
        let (transient, _) = try await Self.run(["s3://src/k", "s3://dest/"], stub: busy)
        #expect(transient == 75)

        let ok = StubTransport(handler: { request in
            if request.method == .head { return HTTPResponse(status: 200, headers: ["Content-Length": "3", "ETag": "\"e\""]) }
            return HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8))
        })
        let (success, plain) = try await Self.run(["s3://src/k", "s3://dest/"], stub: ok)
        #expect(success == 0)
        // Not a terminal: no progress, but the summary line on stdout.
        #expect(plain.out.hasPrefix("copied 1 object (3 B) in ") && plain.out.hasSuffix("\n"), "\(plain.out)")
        #expect(plain.out.filter { $0 == "\n" }.count == 1 && plain.err.isEmpty)
        #expect(ok.requests.map(\.method) == [.head, .put])
        let (_, quiet) = try await Self.run(["--quiet", "s3://src/k", "s3://dest/"], stub: ok)
        #expect(quiet.out.isEmpty && quiet.err.isEmpty)
        #expect(ok.requests[1].headers["x-amz-acl"] == "bucket-owner-full-control")
    }

    /// A bucket of `first` keys on a first page and `rest` on a second, or `restStatus` for it.
    static func pagedBucket(first: [String], rest: [String], restStatus: Int = 200) -> StubTransport {
        @Sendable func listing(_ keys: [String], next: String?) -> HTTPResponse {
            let contents = keys.map { "<Contents><Key>\($0)</Key><Size>3</Size><ETag>\"e\"</ETag></Contents>" }.joined()
            let truncation = next.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" } ?? "<IsTruncated>false</IsTruncated>"
            return HTTPResponse(status: 200, body: Array("<ListBucketResult>\(truncation)\(contents)</ListBucketResult>".utf8))
        }
        return StubTransport(handler: { request in
            if request.method == .put {
                return HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8))
            }
            if request.url.contains("continuation-token=t1") {
                if restStatus != 200 {
                    return HTTPResponse(status: restStatus, body: Array("<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>".utf8))
                }
                return listing(rest, next: nil)
            }
            return listing(first, next: "t1")
        })
    }

    @Test("--recursive lists a short first page, copies it while the rest is listed in full pages, and reports all")
    func recursivePages() async throws {
        let stub = Self.pagedBucket(first: ["p/a", "p/b"], rest: ["p/c", "p/d", "p/e"])
        let (status, captured) = try await Self.run(["--recursive", "--json", "s3://src/p/", "s3://dest/q/"], stub: stub)
        #expect(status == 0)
        let lists = stub.requests.filter { $0.method == .get }.map(\.url)
        #expect(lists.count == 2)
        #expect(lists.first?.contains("max-keys=\(S3Copier.firstPageKeys)") == true)
        #expect(lists.last?.contains("continuation-token=t1") == true && lists.last?.contains("max-keys") == false)
        #expect(stub.requests.filter { $0.method == .put }.count == 5)
        let json = try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any]
        #expect(json?["objects"] as? Int == 5)
        #expect(json?["verified"] as? Int == 5)
    }

    @Test("--recursive: when the rest of the listing fails, the first page's copies stand and the exit says why")
    func recursiveListingFailsLater() async throws {
        let stub = Self.pagedBucket(first: ["p/a", "p/b"], rest: [], restStatus: 503)
        let (status, captured) = try await Self.run(["--recursive", "--json", "s3://src/p/", "s3://dest/q/"], stub: stub)
        #expect(status == 75)
        #expect(captured.err.contains("SlowDown"))
        let json = try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any]
        #expect(json?["verified"] as? Int == 2)
        #expect(json?["exit_status"] as? Int == 75)
    }
}

/// The terminal progress line of `copypt copy`, drawn against a clock the test moves.
@Suite struct CopyProgressTests {
    final class Clock: Sendable {
        private let date = Mutex(Date(timeIntervalSince1970: 1_000))
        var now: Date { date.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    static func item(_ index: Int) -> CopyItem {
        CopyItem(source: S3Location(bucket: "s", key: "k\(index)"), destination: S3Location(bucket: "d", key: "k\(index)"), size: 1 << 20, eTag: "e")
    }

    @Test("says listing… while the total is unknown, then the total, rate and ETA; finish clears the line")
    func line() async {
        let clock = Clock()
        let err = TextCapture()
        let context = CommandContext(environment: [:], standardOutput: { _ in }, standardError: { err.append($0) }, now: { clock.now })
        let progress = CopyProgress(items: [Self.item(0), Self.item(1)], listing: true, context: context, enabled: true, listsObjects: false)
        clock.advance(1)
        await progress.record(.verified(Self.item(0), .eTagMatch))
        #expect(await progress.line(at: clock.now) == "copied 1 object, 1.0 MiB, 1.0 MiB/s, listing…")
        #expect(err.text.hasSuffix("\r\u{1B}[Kcopied 1 object, 1.0 MiB, 1.0 MiB/s, listing…"))
        await progress.add([Self.item(2), Self.item(3)])
        clock.advance(1)
        #expect(await progress.line(at: clock.now) == "copied 1/4 objects, 1.0 MiB of 4.0 MiB, 512.0 KiB/s, ETA 0:06")
        await progress.finish()
        #expect(err.text.hasSuffix("\r\u{1B}[K"))
    }
}
