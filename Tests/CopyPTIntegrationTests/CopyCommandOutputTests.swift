import CopyPTTestSupport
import Foundation
import Testing

/// `copypt copy` as people run it, through the built executable against moto: in a pipe, on a
/// terminal (a pty), stopped with Ctrl-C and finished with --skip-existing.
@Suite struct CopyCommandOutputTests {
    static func copy(_ e2e: EndToEndFixture, _ arguments: [String]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(try EndToEndFixture.executable("copypt"), ["copy"] + arguments, environment: e2e.environment)
    }

    /// `count` one-byte-ish objects under `prefix` in `bucket`.
    static func fill(_ e2e: EndToEndFixture, _ bucket: String, _ prefix: String, count: Int) async throws -> [String] {
        let keys = (0..<count).map { String(format: "\(prefix)f%04d.dat", $0) }
        for key in keys { try await e2e.put(bucket, key, Array(key.utf8)) }
        return keys
    }

    @Test("in a pipe: the summary line always, -v one line per object, nothing with --quiet, snake_case --json")
    func pipe() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("cp-src")
        try await e2e.createBucket("cp-dst")
        let keys = try await Self.fill(e2e, "cp-src", "run/", count: 5)

        let plain = try await Self.copy(e2e, ["--recursive", "s3://cp-src/run/", "s3://cp-dst/a/"])
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain)")
        let summary = plain.stdout.split(separator: "\n")
        #expect(summary.count == 1, "\(plain.stdout)")
        #expect(summary.first?.hasPrefix("copied 5 objects (65 B) in ") == true && summary.first?.hasSuffix("/s") == true, "\(plain.stdout)")

        let verbose = try await Self.copy(e2e, ["-v", "--recursive", "s3://cp-src/run/", "s3://cp-dst/b/"])
        #expect(verbose.status == 0, "\(verbose)")
        let lines = verbose.stdout.split(separator: "\n").map(String.init)
        #expect(Set(lines.dropLast()) == Set(keys.map { "copy: s3://cp-src/\($0) -> s3://cp-dst/b/\($0.dropFirst(4))" }), "\(verbose.stdout)")
        #expect(lines.last?.hasPrefix("copied 5 objects") == true)

        let quiet = try await Self.copy(e2e, ["--quiet", "--recursive", "s3://cp-src/run/", "s3://cp-dst/c/"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet)")
        #expect(try await e2e.keys("cp-dst", prefix: "c/").count == 5)

        let json = try await Self.copy(e2e, ["--json", "--recursive", "s3://cp-src/run/", "s3://cp-dst/d/"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == [
            "schema_version", "source", "destination", "dry_run", "objects", "bytes", "verified", "skipped_existing", "skipped",
            "failed", "concurrency", "requests", "seconds", "exit_status",
        ])
        #expect(object["schema_version"] as? Int == 1 && object["exit_status"] as? Int == 0 && object["verified"] as? Int == 5)
        #expect((object["concurrency"] as? [String: Any])?["mode"] as? String == "adaptive")
    }

    @Test("on a terminal: a progress line with rate and ETA, cleared at the end, then the summary")
    func terminal() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("tty-src")
        try await e2e.createBucket("tty-dst")
        _ = try await Self.fill(e2e, "tty-src", "many/", count: 300)
        let shown = try await PseudoTerminal.run(
            try EndToEndFixture.executable("copypt"),
            ["copy", "--recursive", "--concurrency", "2", "s3://tty-src/many/", "s3://tty-dst/many/"],
            columns: 120, environment: e2e.environment)
        #expect(shown.status == 0, "\(shown.output)")
        let draws = shown.output.components(separatedBy: "\r\u{1B}[K")
        // Some line mid-way shows the total, the rate and an ETA.
        #expect(draws.contains { $0.range(of: #"^copied [0-9]+/300 objects, .* of .*, [0-9.]+ (B|KiB|MiB)/s, ETA [0-9]+:[0-9]{2}$"#, options: .regularExpression) != nil },
                "\(shown.output)")
        // The last one is cleared: only the summary follows it.
        let last = try #require(draws.last)
        #expect(last.hasPrefix("copied 300 objects (") && last.hasSuffix("\r\n") && !last.contains("/300"), "\(last)")
        #expect(!shown.output.contains("100/100"))
    }

    @Test("Ctrl-C says how many were copied and exits 130; --skip-existing copies only the rest, from one destination listing")
    func interruptAndSkipExisting() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("int-src")
        try await e2e.createBucket("int-dst")
        let keys = try await Self.fill(e2e, "int-src", "run/", count: 300)
        let arguments = ["copy", "--recursive", "--concurrency", "1", "s3://int-src/run/", "s3://int-dst/out/"]
        let shown = try await PseudoTerminal.run(
            try EndToEndFixture.executable("copypt"), arguments, columns: 120, interruptOn: "copied [1-9][0-9]*/300",
            environment: e2e.environment)
        #expect(shown.status == 130, "\(shown.output)")
        let match = try #require(shown.output.firstMatch(of: /interrupted: ([0-9]+)\/300 copied/), "\(shown.output)")
        let copied = try #require(Int(match.1))
        #expect(copied > 0 && copied < 300)
        let present = try await e2e.keys("int-dst", prefix: "out/")
        #expect(present.count >= copied && present.count < 300)

        try e2e.clearRecording()
        let rerun = try await Self.copy(e2e, ["--recursive", "--skip-existing", "--json", "s3://int-src/run/", "s3://int-dst/out/"])
        #expect(rerun.status == 0, "\(rerun)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        let skipped = try #require(object["skipped_existing"] as? Int)
        #expect(skipped == present.count)
        #expect(object["verified"] as? Int == 300 - skipped)
        // Two source listing pages (100 keys, then the rest), one destination listing, one copy per missing object.
        #expect(object["requests"] as? Int == 3 + 300 - skipped)
        let requests = e2e.recordedRequests()
        #expect(requests.filter { $0.method == "HEAD" }.isEmpty)
        #expect(requests.filter(\.copy).count == 300 - skipped)
        #expect(try await e2e.keys("int-dst", prefix: "out/") == keys.map { "out/" + $0.dropFirst(4) })
    }

    @Test("Ctrl-C during a multipart copy aborts the upload it leaves open: no incomplete upload stays behind")
    func interruptMultipart() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("mp-src")
        try await e2e.createBucket("mp-dst")
        let big = S3MotoFixture.bytes(24 << 20)
        for index in 0..<3 { try await e2e.put("mp-src", "big/\(index).bin", big) }
        let shown = try await PseudoTerminal.run(
            try EndToEndFixture.executable("copypt"),
            ["copy", "--recursive", "--concurrency", "1", "--multipart-threshold", "5MiB", "s3://mp-src/big/", "s3://mp-dst/big/"],
            columns: 120, interruptOn: "copied 0/3", environment: e2e.environment)
        #expect(shown.status == 130, "\(shown.output)")
        #expect(shown.output.contains("interrupted: "))
        #expect(try await e2e.openUploads("mp-dst") == 0)
    }
}
