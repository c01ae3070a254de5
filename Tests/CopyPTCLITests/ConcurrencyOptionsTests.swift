import CopyPTS3
import CopyPTTestSupport
import CopyPTHTTP
import Foundation
import Synchronization
import Testing

@testable import CopyPTCLI

/// `--concurrency` (fixed) and `--max-concurrency` (the adaptive default's cap) on `copy` and the sweep.
@Suite struct ConcurrencyOptionsTests {
    func input(_ arguments: [String]) throws -> CopyCommandRunner.Input {
        let command = try CopyPTCommand.Copy.parse(arguments + ["s3://src/k", "s3://dest/"])
        return try CopyCommandRunner(command: command, context: CopyCommandTests.Captured().context()).checkedInput()
    }

    @Test("copy is adaptive by default: starts at 32, capped at 512")
    func copyDefault() throws {
        let configuration = try input([]).configuration
        #expect(configuration.adaptive == AIMDController.Settings(start: 32, maximum: 512))
        #expect(configuration.maximumInFlight == 512)
    }

    @Test("--max-concurrency caps the adaptive width; a cap below 32 is also where it starts")
    func copyCap() throws {
        #expect(try input(["--max-concurrency", "1000"]).configuration.adaptive == AIMDController.Settings(start: 32, maximum: 1000))
        #expect(try input(["--max-concurrency", "8"]).configuration.adaptive == AIMDController.Settings(start: 8, maximum: 8))
    }

    @Test("--concurrency N is a fixed width: no adaptation")
    func copyFixed() throws {
        let configuration = try input(["--concurrency", "64"]).configuration
        #expect(configuration.adaptive == nil)
        #expect(configuration.concurrency == 64 && configuration.maximumInFlight == 64)
    }

    @Test("copy refuses both flags together and caps out of range, in one line, exit 2", arguments: [
        ["--concurrency", "16", "--max-concurrency", "64"], ["--max-concurrency", "0"], ["--max-concurrency", "1001"],
        ["--concurrency", "1001"], ["--max-concurrency", "lots"],
    ])
    func copyBad(arguments: [String]) async {
        let result = await CLI.run(["copy"] + arguments + ["s3://src/k", "s3://dest/"])
        #expect(result.status == 2 && result.isOneLineError && result.stderr.hasPrefix("copypt copy: "), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    @Test("the sweep is adaptive by default, fixed with --concurrency, capped with --max-concurrency")
    func sweep() throws {
        let now: @Sendable () -> Date = { Date(timeIntervalSince1970: 0) }
        let adaptive = try CopyPTCommand.Sweep.parse([]).sweepConfiguration(now: now)
        #expect(adaptive.adaptiveConcurrency == AIMDController.Settings(start: 32, maximum: 512))
        let capped = try CopyPTCommand.Sweep.parse(["--max-concurrency", "200"]).sweepConfiguration(now: now)
        #expect(capped.adaptiveConcurrency?.maximum == 200)
        let fixed = try CopyPTCommand.Sweep.parse(["--concurrency", "8"]).sweepConfiguration(now: now)
        #expect(fixed.adaptiveConcurrency == nil && fixed.concurrency == 8)
    }

    @Test("the sweep refuses both flags together, in one line, exit 2", arguments: [
        ["--concurrency", "4", "--max-concurrency", "64"], ["--max-concurrency", "0"], ["--max-concurrency", "5000"],
    ])
    func sweepBad(arguments: [String]) async throws {
        try await TemporaryDirectory.with { root in
            let result = await CLI.run(CopyPTSweepCommand.self, arguments + ["--state-dir", root.path])
            #expect(result.status == 2 && result.isOneLineError && result.stderr.hasPrefix("copypt-sweep: "), "\(result)")
        }
    }

    @Test("the --json summary reports the width; a throttled copy says in its summary line that it backed off")
    func reported() async throws {
        let throttled = Mutex(false)
        let stub = StubTransport(handler: { request in
            if request.method == .head { return HTTPResponse(status: 200, headers: ["Content-Length": "3", "ETag": "\"e\""]) }
            if throttled.withLock({ seen in defer { seen = true }; return !seen }) {
                return HTTPResponse(status: 503, body: Array("<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>".utf8))
            }
            return HTTPResponse(status: 200, body: Array("<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>".utf8))
        })
        var environment = CopyCommandTests.environment
        environment["AWS_MAX_ATTEMPTS"] = "2"
        let (status, plain) = try await CopyCommandTests.run(["s3://src/k", "s3://dest/"], stub: stub, environment: environment)
        #expect(status == 0)
        #expect(plain.out.contains("; S3 throttled: concurrency cut 1×, 16 at the end (peak 32)\n"), "\(plain.out)")

        let (_, captured) = try await CopyCommandTests.run(["--json", "--max-concurrency", "100", "s3://src/k", "s3://dest/"], stub: stub)
        let json = try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any]
        let width = try #require(json?["concurrency"] as? [String: Any])
        #expect(width["mode"] as? String == "adaptive" && width["peak"] as? Int == 32 && width["final"] as? Int == 32 && width["cuts"] as? Int == 0)

        let (_, fixed) = try await CopyCommandTests.run(["--json", "--concurrency", "3", "s3://src/k", "s3://dest/"], stub: stub)
        let fixedJSON = try JSONSerialization.jsonObject(with: Data(fixed.out.utf8)) as? [String: Any]
        #expect((fixedJSON?["concurrency"] as? [String: Any])?["mode"] as? String == "fixed")
    }

    @Test("which S3 answers count as overload for adaptive concurrency", arguments: [
        (S3Error.service(operation: "CopyObject", status: 503, code: "SlowDown", message: "", requestID: nil), true),
        (.service(operation: "CopyObject", status: 503, code: "ServiceUnavailable", message: "", requestID: nil), true),
        (.service(operation: "CopyObject", status: 429, code: "TooManyRequests", message: "", requestID: nil), true),
        (.service(operation: "CopyObject", status: 400, code: "Throttling", message: "", requestID: nil), true),
        (.unparseableResponse(operation: "CopyObject", status: 503, body: "busy"), true),
        (.transport(operation: "CopyObject", .connectFailed(host: "h", detail: "refused")), true),
        (.transport(operation: "CopyObject", .connectionLost(host: "h", detail: "reset")), true),
        (.transport(operation: "CopyObject", .timedOut(host: "h", seconds: 30)), false),
        (.service(operation: "CopyObject", status: 500, code: "InternalError", message: "", requestID: nil), false),
        (.service(operation: "CopyObject", status: 403, code: "AccessDenied", message: "", requestID: nil), false),
    ])
    func overload(error: S3Error, overload: Bool) {
        #expect(error.signalsOverload == overload)
    }
}
