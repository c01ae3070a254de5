import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// A staging key planted to climb out of its prefix (`run42/../../../other/pwned.txt`), and keys
/// that differ only by a combining mark, through the real `copypt copy --recursive` and the
/// real sweep against moto: nothing is written outside the destination prefix, the planted key
/// is reported, and every safe key lands on its own destination.
@Suite struct PlantedKeyIntegrationTests {
    static let planted = "run42/../../../other/pwned.txt"
    static let safe = ["run42/a.txt", "run42/x", "run42/\u{301}x", "run42/sub/b.bin"]

    /// Buckets `stg`, `dst` and `other`, with the safe keys (distinct bodies) and the planted one.
    static func fixture() async throws -> EndToEndFixture {
        let e2e = try await EndToEndFixture()
        for bucket in ["stg", "dst", "other"] { try await e2e.createBucket(bucket) }
        for (index, key) in safe.enumerated() { try await e2e.put("stg", key, EndToEndFixture.bytes(10 + index, seed: index)) }
        try await e2e.put("stg", planted, Array("pwned".utf8))
        // The plant is a literal key in staging (sent with its dot segments as they are).
        #expect(try await e2e.keys("stg").contains(planted))
        return e2e
    }

    /// Everything the copy may have written: only the safe keys, under `in/run42/`, and nothing in `other`.
    static func checkDestination(_ e2e: EndToEndFixture) async throws {
        #expect(try await e2e.keys("other").isEmpty)
        let written = try await e2e.keys("dst")
        #expect(written.allSatisfy { $0.utf8.starts(with: "in/run42/".utf8) && !$0.contains("..") }, "\(written)")
        #expect(Set(written.map { Array($0.utf8) }) == Set(safe.map { Array(("in/" + $0).utf8) }))
        for (index, key) in safe.enumerated() {
            #expect(try await e2e.get("dst", "in/" + key) == EndToEndFixture.bytes(10 + index, seed: index))
        }
    }

    @Test("copypt copy --recursive skips the planted key with one stderr line and exit 1, and copies every safe key to its own destination")
    func copyRecursive() async throws {
        let e2e = try await Self.fixture()
        let copypt = try EndToEndFixture.executable("copypt")
        let dry = try await EndToEndFixture.run(copypt, ["copy", "--recursive", "--dry-run", "s3://stg/run42/", "s3://dst/in/run42/"], environment: e2e.environment)
        #expect(dry.status == 1, "stderr: \(dry.stderr)")
        #expect(!dry.stdout.contains("pwned"))
        #expect(try await e2e.keys("dst").isEmpty)

        let result = try await EndToEndFixture.run(
            copypt, ["copy", "--recursive", "--json", "s3://stg/run42/", "s3://dst/in/run42/"], environment: e2e.environment)
        #expect(result.status == 1, "stderr: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("copypt copy: skipped s3://stg/\(Self.planted): its path below s3://stg/run42/ has a `.` or `..` segment") == true)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["verified"] as? Int == Self.safe.count)
        #expect(json["skipped"] as? [String] == ["s3://stg/\(Self.planted)"])
        #expect(json["exit_status"] as? Int == 1)
        try await Self.checkDestination(e2e)
    }

    @Test("the sweep copies the safe keys, skips the planted one and notes it in the record", arguments: [false, true])
    func sweep(historyDeleted: Bool) async throws {
        let e2e = try await Self.fixture()
        // Cut by bytes: Character-wise, "run42/\u{301}x".dropFirst(6) is "x".
        let relatives = (Self.safe + [Self.planted]).map { String(Substring($0.utf8.dropFirst("run42/".utf8.count))) }
        let task = try await e2e.task(bucket: "stg", prefix: "run42/", relatives, status: "SUCCEEDED")
        if historyDeleted { try await e2e.globus.updateTask(task, historyDeleted: true) }
        let id = try await e2e.add(task: task, from: "s3://stg/run42/", to: "s3://dst/in/run42/")
        let result = try await e2e.sweep()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let record = try e2e.store.load(id)
        #expect(record.state == .done)
        #expect(record.progress.objectsDone == Self.safe.count)
        #expect(record.notes.contains { $0.contains("were not copied") && $0.contains(Self.planted) }, "\(record.notes)")
        #expect(result.stderr.contains(Self.planted))
        try await Self.checkDestination(e2e)
    }

    @Test("the sweep copies one of two keys equal up to Unicode normalization and notes the other, never counting it done", arguments: [false, true])
    func normalizationTwins(historyDeleted: Bool) async throws {
        let e2e = try await EndToEndFixture()
        for bucket in ["stg", "dst"] { try await e2e.createBucket(bucket) }
        let twins = ["run42/\u{E9}.txt", "run42/e\u{301}.txt"]
        for (index, key) in twins.enumerated() { try await e2e.put("stg", key, [UInt8(index)]) }
        try await e2e.put("stg", "run42/plain", [9])
        #expect(try await e2e.keys("stg").count == 3)
        let relatives = ["\u{E9}.txt", "e\u{301}.txt", "plain"]
        let task = try await e2e.task(bucket: "stg", prefix: "run42/", relatives, status: "SUCCEEDED")
        if historyDeleted { try await e2e.globus.updateTask(task, historyDeleted: true) }
        let id = try await e2e.add(task: task, from: "s3://stg/run42/", to: "s3://dst/in/")
        let result = try await e2e.sweep()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let record = try e2e.store.load(id)
        #expect(record.state == .done)
        #expect(record.progress.objectsDone == 2)
        #expect(record.notes.contains { $0.contains("another Unicode normalization form") }, "\(record.notes)")
        let written = try await e2e.keys("dst")
        #expect(written.count == 2)
        // The one copied is the first listed (S3 lists by bytes: e + U+0301 before U+00E9), with its own bytes.
        #expect(try await e2e.get("dst", "in/e\u{301}.txt") == [1])
        #expect(try await e2e.get("dst", "in/plain") == [9])
    }
}
