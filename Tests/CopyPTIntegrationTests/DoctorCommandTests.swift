import CopyPTTestSupport
import Foundation
import Testing

/// `copypt doctor` and `copypt policy` on moto (which ignores policies) and their usage errors.
@Suite struct DoctorCommandTests {
    static func copypt(_ e2e: EndToEndFixture, _ arguments: [String]) async throws -> ChildProcess.Result {
        var env = e2e.environment
        env["AWS_ENDPOINT_URL_STS"] = e2e.moto.baseURL
        return try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), arguments, environment: env)
    }

    @Test("On moto, doctor ID passes: what moto cannot answer is – with the reason, the probe it copies is deleted, --json carries every check")
    func moto() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("stg")
        try await e2e.createBucket("dst")
        try await e2e.put("stg", "run42/a.txt", Array("alpha".utf8))
        let task = try await e2e.task(bucket: "stg", prefix: "run42/", ["a.txt"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://stg/run42/", to: "s3://dst/in/")
        let text = try await Self.copypt(e2e, ["doctor", id])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("– policy principal: 'arn:aws:sts::123456789012:user/moto' is not a principal ARN a policy can name"))
        #expect(text.stdout.contains("✓ Globus paths: successful_transfers is readable; /stg/run42/a.txt is under --globus-path /stg/run42/"))
        #expect(try await e2e.keys("dst") == [], "no probe object is left behind")

        let json = try await Self.copypt(e2e, ["doctor", id, "--json", "--no-globus"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.first?["name"] as? String == "AWS credentials" && checks.first?["status"] as? String == "passed")
        #expect(checks.last?["detail"] as? String == "not asked for (--no-globus)")
    }

    @Test("A wrong --globus-path, a missing staging bucket and a missing destination bucket fail with exit 1 and say what to do")
    func failures() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("stg")
        try await e2e.put("stg", "run42/a.txt", Array("alpha".utf8))
        let task = try await e2e.task(bucket: "stg", prefix: "run42/", ["a.txt"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://stg/run42/", to: "s3://nodst/in/", ["--globus-path", "/elsewhere/"])
        let result = try await Self.copypt(e2e, ["doctor", id])
        #expect(result.status == 1)
        #expect(result.stdout.contains("✗ destination bucket: HeadBucket s3://nodst failed: 404 NoSuchBucket"), "\(result.stdout)")
        #expect(result.stdout.contains("→ check the bucket name"))
        #expect(result.stdout.contains("✗ Globus paths: the task delivered /stg/run42/a.txt, which is not under --globus-path /elsewhere/"))
        let noStaging = try await Self.copypt(e2e, ["doctor", "--from", "s3://nostg/run42/", "--to", "s3://nodst/in/"])
        #expect(noStaging.status == 1)
        #expect(noStaging.stdout.contains("✗ staging bucket: HeadBucket s3://nostg failed: 404 NoSuchBucket"))
    }

    @Test("Usage errors exit 2 and change nothing: no ID and no locations, an ID with copy options, an unknown ID, a bad --principal")
    func usage() async throws {
        let e2e = try await EndToEndFixture()
        let none = try await Self.copypt(e2e, ["doctor"])
        #expect(none.status == 2 && none.stderr.contains("Give a transfer ID"))
        let both = try await Self.copypt(e2e, ["policy", "20261205-abcdef", "--acl", "none"])
        #expect(both.status == 2 && both.stderr.contains("come from its record"))
        let unknown = try await Self.copypt(e2e, ["doctor", "20261205-abcdef"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("copypt doctor: "), "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
        let principal = try await Self.copypt(e2e, ["policy", "--from", "s3://stg/a/", "--to", "s3://dst/b/", "--principal", "copypt"])
        #expect(principal.status == 2 && principal.stderr.contains("not a principal ARN"))
        #expect(!FileManager.default.fileExists(atPath: e2e.stateDirectory.path))
    }
}
