@testable import CopyPTSweep
import CopyPTRecords
import Testing

@Suite struct CopyPlanTests {
    let plan = CopyPlan(
        globusPath: "/staging/run42/", from: S3Prefix(bucket: "staging", prefix: "run42/"),
        to: S3Prefix(bucket: "dest", prefix: "incoming/run42/"))

    @Test("a nested delivered path maps to its staging and destination keys", arguments: [
        ("/staging/run42/a.txt", "a.txt"),
        ("/staging/run42/raw/deep/nested/b.dat", "raw/deep/nested/b.dat"),
        ("/staging/run42/results/summary ü.csv", "results/summary ü.csv"),
        ("/staging/run42/日本語/データ+1 (copy).h5", "日本語/データ+1 (copy).h5"),
        ("/staging/run42/%41 literal percent", "%41 literal percent"),
    ])
    func mapsNestedAndUnicode(path: String, relative: String) throws {
        let mapped = try #require(plan.relativePath(ofDelivered: path))
        #expect(mapped == relative)
        #expect(plan.stagingKey(for: mapped) == "run42/" + relative)
        #expect(plan.destinationKey(for: mapped) == "incoming/run42/" + relative)
    }

    @Test("paths outside the Globus path, directories and dot segments map to nothing", arguments: [
        "/staging/run420/a.txt", "/staging/other/a.txt", "/elsewhere/run42/a.txt", "/staging/run42/",
        "/staging/run42/dir/", "/staging/run42/../secret", "/staging/run42/a/./b", "/staging/run42//a", "staging/run42/a",
    ])
    func rejectsOutside(path: String) {
        #expect(plan.relativePath(ofDelivered: path) == nil)
    }

    @Test("paths match the Globus path as bytes, as S3 matches prefixes: the same text in other bytes is outside")
    func matchesBytes() {
        let composed = CopyPlan(globusPath: "/staging/caf\u{E9}/", from: S3Prefix(bucket: "staging", prefix: "caf\u{E9}/"), to: plan.to)
        #expect(composed.relativePath(ofDelivered: "/staging/caf\u{E9}/a") == "a")
        #expect(composed.relativePath(ofDelivered: "/staging/cafe\u{301}/a") == nil)
        #expect(composed.relativePath(ofStagingKey: "cafe\u{301}/a") == nil)
    }

    @Test("a Globus path without leading or trailing slash is normalised")
    func normalisesGlobusPath() {
        let loose = CopyPlan(globusPath: "staging/run42", from: plan.from, to: plan.to)
        #expect(loose.globusPath == "/staging/run42/")
        #expect(loose.relativePath(ofDelivered: "/staging/run42/x/y") == "x/y")
        #expect(loose.relativePath(ofDelivered: "/staging/run42x/y") == nil)
    }

    @Test("prefixes given without a trailing slash still name directories")
    func prefixesWithoutSlash() {
        let bare = CopyPlan(
            globusPath: "/staging/run42/", from: S3Prefix(bucket: "staging", prefix: "run42"),
            to: S3Prefix(bucket: "dest", prefix: "in"))
        #expect(bare.stagingKey(for: "a") == "run42/a")
        #expect(bare.destinationKey(for: "a") == "in/a")
        #expect(bare.relativePath(ofStagingKey: "run420/a") == nil)
    }

    @Test("a whole-bucket destination maps keys to the bucket root")
    func wholeBucket() {
        let root = CopyPlan(globusPath: "/staging/", from: S3Prefix(bucket: "staging", prefix: ""), to: S3Prefix(bucket: "dest", prefix: ""))
        #expect(root.relativePath(ofDelivered: "/staging/a/b") == "a/b")
        #expect(root.destinationKey(for: "a/b") == "a/b")
    }

    @Test("listed staging keys map back, directory markers do not")
    func stagingKeys() throws {
        #expect(plan.relativePath(ofStagingKey: "run42/raw/a") == "raw/a")
        #expect(plan.relativePath(ofStagingKey: "run42/raw/") == nil)
        #expect(plan.relativePath(ofStagingKey: "run42/") == nil)
        let copy = try #require(plan.copy(of: StagingObject(key: "run42/ü/x", size: 7, eTag: "\"e\"")))
        #expect(copy == PlannedCopy(
            sourceBucket: "staging", sourceKey: "run42/ü/x", destinationBucket: "dest",
            destinationKey: "incoming/run42/ü/x", size: 7, eTag: "\"e\""))
    }
}
