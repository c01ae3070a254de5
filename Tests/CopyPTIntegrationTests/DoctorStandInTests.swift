import CopyPTTestSupport
import Foundation
import Testing

/// `copypt doctor` and `copypt policy` against the policy-enforcing S3 stand-in: the closed
/// loop (doctor fails on a fresh destination, the printed policy is applied, doctor passes,
/// copy and sweep succeed) and each failure class of the write check.
@Suite struct DoctorStandInTests {
    static let locations = ["--from", "s3://stg/run42/", "--to", "s3://dst/in/run42/", "--dest-owner", DoctorStandInFixture.destinationOwner]

    static func lines(_ result: ChildProcess.Result, _ prefix: String) -> [String] {
        result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test("Closed loop: doctor fails on a fresh destination, the bucket policy copypt printed is applied, doctor passes, then a sweep and copypt copy succeed")
    func closedLoop() async throws {
        let f = try await DoctorStandInFixture()
        try await f.configure()
        try await f.put("stg", "run42/a.txt", "alpha")
        try await f.put("stg", "run42/sub/b.txt", "bravo!")

        let fresh = try await f.copypt(["doctor"] + Self.locations)
        #expect(fresh.status == 1, "\(fresh.stdout)\(fresh.stderr)")
        #expect(fresh.stdout.contains("✓ AWS identity: arn:aws:iam::111111111111:user/copypt (account 111111111111)"))
        #expect(fresh.stdout.contains("✓ staging object: HeadObject s3://stg/run42/a.txt: 5 bytes"))
        let write = try #require(Self.lines(fresh, "✗ destination write (no-write probe)").first, "\(fresh.stdout)")
        #expect(write.contains("403 AccessDenied") && write.contains("s3:PutObject on s3://dst/in/run42/"))
        #expect(fresh.stdout.contains("# Destination account 222222222222: add to the bucket policy of s3://dst:"))
        #expect(fresh.stdout.contains("\"Sid\": \"CopyptWriteDestination\""))
        #expect(try await f.keys("dst", prefix: "") == [])

        let policy = try #require(try await f.printedPolicy(Self.locations, kind: "destination-bucket-policy"))
        try await f.configure(destinationPolicy: policy)
        let fixed = try await f.copypt(["doctor"] + Self.locations)
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout.contains("✓ destination write (no-write probe): CopyObject with the record's options was refused only by its precondition (412)"))
        #expect(!fixed.stdout.contains("✗"))
        #expect(try await f.keys("dst", prefix: "") == [], "the no-write probe wrote nothing")

        // A record for a finished Globus task: doctor ID checks Globus too; the sweep copies.
        let files = ["a.txt", "sub/b.txt"].map {
            GlobusEmulator.File(sourcePath: "/lab/" + $0, destinationPath: "/stg/run42/" + $0, size: 5)
        }
        let task = try await f.globus.createTask(ownerID: f.identity, status: "SUCCEEDED", files: files)
        let add = try await f.copypt(["add", "--task", task] + Self.locations)
        #expect(add.status == 0, "\(add.stderr)")
        let id = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let withGlobus = try await f.copypt(["doctor", id])
        #expect(withGlobus.status == 0, "\(withGlobus.stdout)\(withGlobus.stderr)")
        #expect(withGlobus.stdout.contains("✓ Globus task: \(task)"))
        #expect(withGlobus.stdout.contains("✓ Globus paths: successful_transfers is readable; /stg/run42/a.txt is under --globus-path /stg/run42/"))
        let sweep = try await f.copypt(["sweep", "--once"])
        #expect(sweep.status == 0, "\(sweep.stdout)\(sweep.stderr)")
        #expect(try await f.keys("dst", prefix: "in/run42/").sorted() == ["in/run42/a.txt", "in/run42/sub/b.txt"])

        let copy = try await f.copypt(["copy", "--recursive", "s3://stg/run42/", "s3://dst/in/run42/again/", "--dest-owner", DoctorStandInFixture.destinationOwner])
        #expect(copy.status == 0, "\(copy.stdout)\(copy.stderr)")
        #expect(try await f.keys("dst", prefix: "in/run42/again/").count == 2)
    }

    @Test("Each failure class of the write check is told apart: PutObjectAcl, expected owner, KMS key missing, KMS key not granted, KMS key region; ACLs disabled with bucket-owner-full-control passes")
    func failureClasses() async throws {
        let f = try await DoctorStandInFixture()
        try await f.configure()
        try await f.put("stg", "run42/a.txt", "alpha")
        let writeOnly = try #require(try await f.printedPolicy(Self.locations + ["--acl", "none"], kind: "destination-bucket-policy"))
        let full = try #require(try await f.printedPolicy(Self.locations, kind: "destination-bucket-policy"))

        // s3:PutObject granted, s3:PutObjectAcl not: the retry without the ACL header tells.
        try await f.configure(destinationPolicy: writeOnly)
        let acl = try await f.copypt(["doctor"] + Self.locations)
        #expect(acl.status == 1)
        #expect(Self.lines(acl, "✗ destination write").first?.contains("s3:PutObjectAcl is missing") == true, "\(acl.stdout)")
        #expect(acl.stdout.contains("\"Sid\": \"CopyptPutObjectAcl\"") && !acl.stdout.contains("\"Sid\": \"CopyptWriteDestination\""))

        // ACLs disabled (bucket owner enforced) accepts bucket-owner-full-control.
        try await f.configure(destinationPolicy: full, ownership: "BucketOwnerEnforced")
        let enforced = try await f.copypt(["doctor", "--write-probe"] + Self.locations)
        #expect(enforced.status == 0, "\(enforced.stdout)")
        #expect(enforced.stdout.contains("✓ destination write (probe object): CopyObject to s3://dst/in/run42/.copypt-doctor-probe-"))
        #expect(Self.lines(enforced, "– probe object: s3://dst/in/run42/.copypt-doctor-probe-").first?.contains("remains (DeleteObject refused: DeleteObject s3://dst/in/run42/.copypt-doctor-probe-") == true,
                "the bucket policy grants no s3:DeleteObject: \(enforced.stdout)")

        // The destination bucket is not owned by the account given.
        try await f.configure(destinationPolicy: full)
        var wrongOwner = Self.locations
        wrongOwner[wrongOwner.count - 1] = "333333333333"
        let owner = try await f.copypt(["doctor"] + wrongOwner)
        #expect(owner.status == 1)
        #expect(Self.lines(owner, "✗ destination write").first?.contains("not owned by the account given with --dest-owner") == true, "\(owner.stdout)")

        // SSE-KMS with a key the destination account does not have.
        let missingKey = "arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-0000-0000-000000000000"
        let notFound = try await f.copypt(["doctor", "--write-probe"] + Self.locations + ["--sse-kms-key-id", missingKey])
        #expect(notFound.status == 1)
        #expect(Self.lines(notFound, "✗ destination write").first?.contains("KMS key \(missingKey) does not exist") == true, "\(notFound.stdout)")

        // A key whose policy does not let copypt use it; then the printed key policy is applied.
        let ownerOnly: [String: Any] = ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::222222222222:root"], "Action": "kms:*", "Resource": "*",
        ]]]
        try await f.configure(destinationPolicy: full, keys: [DoctorStandInFixture.key: ownerOnly])
        let kms = Self.locations + ["--sse-kms-key-id", DoctorStandInFixture.key]
        let denied = try await f.copypt(["doctor", "--write-probe"] + kms)
        #expect(denied.status == 1)
        #expect(Self.lines(denied, "✗ destination write").first?.contains("must let copypt's principal use \(DoctorStandInFixture.key)") == true, "\(denied.stdout)")
        #expect(denied.stdout.contains("# Destination account 222222222222: add to the key policy of \(DoctorStandInFixture.key):"))
        let keyPolicy = try #require(try await f.printedPolicy(kms, kind: "destination-kms-key-policy") as? [String: Any])
        var statements = try #require(ownerOnly["Statement"] as? [[String: Any]])
        statements += try #require(keyPolicy["Statement"] as? [[String: Any]])
        try await f.configure(destinationPolicy: full, keys: [DoctorStandInFixture.key: ["Version": "2012-10-17", "Statement": statements]])
        let granted = try await f.copypt(["doctor", "--write-probe"] + kms)
        #expect(granted.status == 0, "\(granted.stdout)")

        // A key in another region than the bucket.
        let elsewhere = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let region = try await f.copypt(["doctor"] + Self.locations + ["--sse-kms-key-id", elsewhere])
        #expect(region.status == 1)
        #expect(region.stdout.contains("✗ destination KMS key: \(elsewhere) is in us-east-1, the bucket in eu-west-1"), "\(region.stdout)")
    }

    @Test("Closed loop on copypt's own side: with the destination's bucket policy in place but no identity policy, doctor fails; the printed identity policy fixes it")
    func identityPolicy() async throws {
        let f = try await DoctorStandInFixture()
        try await f.configure()
        try await f.put("stg", "run42/a.txt", "alpha")
        let bucket = try #require(try await f.printedPolicy(Self.locations, kind: "destination-bucket-policy"))
        let readOnly: [String: Any] = ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::stg/run42/*", "arn:aws:s3:::stg"]]]]
        try await f.configure(destinationPolicy: bucket, identityPolicy: readOnly)
        let writeDenied = try await f.copypt(["doctor"] + Self.locations)
        #expect(writeDenied.status == 1)
        #expect(Self.lines(writeDenied, "✗ destination write").first?.contains("s3:PutObject on s3://dst/in/run42/") == true, "\(writeDenied.stdout)")
        #expect(writeDenied.stdout.contains("# Your account 111111111111: attach to arn:aws:iam::111111111111:user/copypt as an identity policy:"))

        let nothing: [String: Any] = ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::stg/run42/*"]]]
        try await f.configure(destinationPolicy: bucket, identityPolicy: nothing)
        let denied = try await f.copypt(["doctor"] + Self.locations)
        #expect(denied.status == 1)
        #expect(denied.stdout.contains("# Your account 111111111111: attach to arn:aws:iam::111111111111:user/copypt as an identity policy:"))

        #expect(denied.stdout.contains("✗ staging listing: ListObjectsV2 s3://stg/run42/ failed: 403 AccessDenied"))
        #expect(denied.stdout.contains("\"Sid\": \"CopyptListStaging\""))

        // The stand-in refuses s3:prefix conditions (its documented limit): the listing
        // statement is applied without its condition.
        var identity = try #require(try await f.printedPolicy(Self.locations, kind: "identity-policy") as? [String: Any])
        let statements = try #require(identity["Statement"] as? [[String: Any]])
        identity["Statement"] = statements.map { statement in
            var statement = statement
            if statement["Sid"] as? String == "CopyptListStaging" { statement["Condition"] = nil }
            return statement
        }
        try await f.configure(destinationPolicy: bucket, identityPolicy: identity)
        let fixed = try await f.copypt(["doctor"] + Self.locations)
        #expect(fixed.status == 0, "\(fixed.stdout)\(denied.stdout)")
    }

    @Test("An SSE-KMS staging object whose key does not let copypt decrypt: the write check names the staging key and prints its key policy statement; applying it fixes the copy")
    func stagingKey() async throws {
        let f = try await DoctorStandInFixture()
        let stagingKey = "arn:aws:kms:eu-west-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab"
        // Naming one administrator, not the account root, so IAM policies cannot grant the key.
        let ownerOnly: [String: Any] = ["Version": "2012-10-17", "Statement": [[
            "Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::111111111111:user/admin"], "Action": "kms:*", "Resource": "*",
        ]]]
        try await f.configure(keys: [stagingKey: ownerOnly])
        try await f.put("stg", "run42/a.txt", "alpha", headers: [
            "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": stagingKey,
        ])
        let bucket = try #require(try await f.printedPolicy(Self.locations, kind: "destination-bucket-policy"))
        try await f.configure(destinationPolicy: bucket, keys: [stagingKey: ownerOnly])
        let denied = try await f.copypt(["doctor", "--write-probe"] + Self.locations)
        #expect(denied.status == 1, "\(denied.stdout)")
        #expect(denied.stdout.contains("– staging KMS key: kms:Decrypt on \(stagingKey) is checked by the write probe below"))
        #expect(Self.lines(denied, "✗ destination write").first?.contains("the key policy of \(stagingKey) (the staging objects' key) must allow kms:Decrypt") == true,
                "\(denied.stdout)")
        #expect(denied.stdout.contains("# Account 111111111111 (staging objects are encrypted with this key): add to the key policy of \(stagingKey):"))

        let printed = try #require(try await f.printedPolicy(Self.locations + ["--staging-kms-key", stagingKey], kind: "staging-kms-key-policy") as? [String: Any])
        var statements = try #require(ownerOnly["Statement"] as? [[String: Any]])
        statements += try #require(printed["Statement"] as? [[String: Any]])
        try await f.configure(destinationPolicy: bucket, keys: [stagingKey: ["Version": "2012-10-17", "Statement": statements]])
        let fixed = try await f.copypt(["doctor", "--write-probe"] + Self.locations)
        #expect(fixed.status == 0, "\(fixed.stdout)")
    }

    @Test("A sweep whose copies are multipart succeeds with only the printed bucket policy: verification (HeadObject), the parts, and the stray-upload check (ListMultipartUploads)")
    func multipartSweep() async throws {
        let f = try await DoctorStandInFixture()
        try await f.configure()
        try await f.put("stg", "run42/big.dat", String(repeating: "x", count: 1_500_000))
        let policy = try #require(try await f.printedPolicy(Self.locations, kind: "destination-bucket-policy"))
        try await f.configure(destinationPolicy: policy)
        let files = [GlobusEmulator.File(sourcePath: "/lab/big.dat", destinationPath: "/stg/run42/big.dat", size: 1_500_000)]
        let task = try await f.globus.createTask(ownerID: f.identity, status: "SUCCEEDED", files: files)
        let add = try await f.copypt(["add", "--task", task] + Self.locations)
        #expect(add.status == 0, "\(add.stderr)")
        let sweep = try await f.copypt(["sweep", "--once", "--multipart-threshold", "1048576", "--min-part-size", "262144"])
        #expect(sweep.status == 0, "\(sweep.stdout)\(sweep.stderr)")
        #expect(try await f.keys("dst", prefix: "in/run42/") == ["in/run42/big.dat"])
        let operations = Set(try await f.s3.decisions().filter { $0.allowed }.compactMap(\.operation))
        #expect(operations.isSuperset(of: ["UploadPartCopy", "ListMultipartUploads"]), "\(operations)")
    }

    @Test("copypt policy names the role of an assumed-role session and refuses SSE-KMS without a key ARN (exit 2)")
    func policyCommand() async throws {
        let f = try await DoctorStandInFixture()
        try await f.configure()
        let printed = try await f.copypt(["policy"] + Self.locations)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.hasPrefix("# Destination account 222222222222: add to the bucket policy of s3://dst:\n{\n"))
        #expect(printed.stdout.contains("# Your account 111111111111: attach to arn:aws:iam::111111111111:user/copypt as an identity policy:"))
        #expect(try await PolicyLinter.findings(in: printed.stdout) == [], "scripts/lint-policy on the printed text as a person copies it")
        let kms = try await f.copypt(["policy", "--tags", "--delete-staging", "--sse-kms-key-id", DoctorStandInFixture.key] + Self.locations)
        #expect(kms.stdout.contains("add to the key policy of \(DoctorStandInFixture.key):"))
        #expect(try await PolicyLinter.findings(in: kms.stdout) == [])
        let role = try await f.copypt(["policy", "--principal", "arn:aws:sts::111111111111:assumed-role/Copier/cron"] + Self.locations)
        #expect(role.stdout.contains("\"AWS\": \"arn:aws:iam::111111111111:role/Copier\""))
        let noKey = try await f.copypt(["policy", "--sse", "aws:kms"] + Self.locations)
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("--sse aws:kms without --sse-kms-key-id") && noKey.stdout.isEmpty)
    }
}
