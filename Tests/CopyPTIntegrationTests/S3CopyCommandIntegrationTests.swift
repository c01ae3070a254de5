import CopyPTS3
import CopyPTTestSupport
import Foundation
import Synchronization
import Testing

@testable import CopyPTCLI

/// `copypt copy` as a user runs it: AWS settings from the environment, libcurl, moto_server.
@Suite struct S3CopyCommandIntegrationTests {
    final class Captured: Sendable {
        private let box = Mutex<(out: String, err: String)>(("", ""))
        var out: String { box.withLock { $0.out } }
        var err: String { box.withLock { $0.err } }
        func context(_ environment: [String: String]) -> CommandContext {
            CommandContext(
                environment: environment, standardOutput: { text in self.box.withLock { $0.out += text } },
                standardError: { text in self.box.withLock { $0.err += text } })
        }
    }

    /// Runs `copypt copy arguments` in-process against `endpoint` with `credentials` and no AWS files.
    static func run(
        _ arguments: [String], endpoint: String,
        credentials: AWSCredentials = AWSCredentials(accessKeyID: "AKIDMOTOTESTING", secretAccessKey: "testing-secret"), maxAttempts: Int = 2
    ) async throws -> (Int32, Captured) {
        let environment = [
            "AWS_ACCESS_KEY_ID": credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint, "AWS_MAX_ATTEMPTS": String(maxAttempts), "HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        ]
        let captured = Captured()
        let runner = CopyCommandRunner(command: try CopyPTCommand.Copy.parse(arguments), context: captured.context(environment))
        return (await runner.run(), captured)
    }

    @Test("copy --recursive --json between two moto buckets copies and verifies every object")
    func recursiveJSON() async throws {
        let s3 = try await S3MotoFixture(partMinimumSize: 5 << 20)
        try await s3.createBucket("cli-src")
        try await s3.createBucket("cli-dst")
        let keys = ["run42/a b.h5", "run42/c+d=e%f~.txt", "run42/ünï/日本.dat", "run42/deep/1/2/3/x", "run42/empty"]
        for key in keys { try await s3.put("cli-src", key, key.hasSuffix("empty") ? [] : Array(key.utf8)) }
        let big = S3MotoFixture.bytes(12 << 20)
        try await s3.put("cli-src", "run42/big.bin", big)

        let (dry, planned) = try await Self.run(["--recursive", "--dry-run", "s3://cli-src/run42", "s3://cli-dst/in/"], endpoint: s3.moto.endpoint)
        #expect(dry == 0)
        // One line per object, then what it would copy.
        #expect(planned.out.split(separator: "\n").count == keys.count + 2)
        #expect(planned.out.split(separator: "\n").last?.hasPrefix("would copy \(keys.count + 1) objects (12.0 MiB)") == true, "\(planned.out)")
        #expect(try await s3.get("cli-dst", "in/a b.h5") == nil)

        let (status, captured) = try await Self.run(
            ["--recursive", "--json", "--multipart-threshold", "8MiB", "s3://cli-src/run42", "s3://cli-dst/in"], endpoint: s3.moto.endpoint)
        #expect(status == 0)
        #expect(captured.err.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any])
        #expect(json["verified"] as? Int == keys.count + 1)
        #expect(json["objects"] as? Int == keys.count + 1)
        // 1 listing page + 1 CopyObject per small object + 7 for the multipart one
        // (HeadObject, Create, 2 parts, HeadObject, Complete, HeadObject).
        #expect(json["requests"] as? Int == 1 + keys.count + 7)
        for key in keys {
            let expected: [UInt8] = key.hasSuffix("empty") ? [] : Array(key.utf8)
            #expect(try await s3.get("cli-dst", "in/" + key.dropFirst("run42/".count)) == expected)
        }
        #expect(try await s3.get("cli-dst", "in/big.bin") == big)
    }

    @Test("a missing source exits 1; an unreachable endpoint exits 75")
    func failures() async throws {
        let s3 = try await S3MotoFixture()
        try await s3.createBucket("cli-fail")
        let (missing, captured) = try await Self.run(["s3://cli-fail/nope", "s3://cli-fail/x"], endpoint: s3.moto.endpoint)
        #expect(missing == 1)
        #expect(captured.err.contains("NoSuchKey"))
        let closed = "http://127.0.0.1:\(try ServerProcess.freePort())"
        let (unreachable, refused) = try await Self.run(["s3://cli-fail/k", "s3://cli-fail/x"], endpoint: closed)
        #expect(unreachable == 75)
        #expect(refused.err.contains("HeadObject"))
    }
}

