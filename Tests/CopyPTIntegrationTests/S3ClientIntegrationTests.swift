import CopyPTHTTP
import CopyPTS3
import Testing

/// Every S3 client call against a real moto_server over libcurl.
@Suite struct S3ClientIntegrationTests {
    @Test("HeadBucket, HeadObject, ListObjectsV2 pages, CopyObject, GetObjectTagging, DeleteObjects")
    func objectCalls() async throws {
        let s3 = try await S3MotoFixture()
        let client = s3.client()
        try await s3.createBucket("calls-src")
        try await s3.createBucket("calls-dst")
        let keys = ["a b.txt", "c+d.txt", "e%f~g=h.txt", "ünï/日本.txt", "z/y/x/w.txt"]
        for (i, key) in keys.enumerated() {
            try await s3.put("calls-src", key, S3MotoFixture.bytes(100 + i), headers: [("x-amz-meta-run", "42"), ("x-amz-tagging", "p=v")])
        }
        _ = try await client.headBucket("calls-src")
        await #expect(throws: S3Error.self) { _ = try await client.headBucket("calls-missing") }

        let head = try await client.headObject(S3Location(bucket: "calls-src", key: "a b.txt"))
        #expect(head.size == 100)
        #expect(head.metadata["run"] == "42")
        do {
            _ = try await client.headObject(S3Location(bucket: "calls-src", key: "nope"))
            Issue.record("expected NoSuchKey")
        } catch let error as S3Error {
            #expect(error.code == "NoSuchKey")
            #expect(!error.isRetryable)
        }

        // Two keys a page: continuation tokens, keys decoded from encoding-type=url.
        var listed: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await client.listObjectsV2(bucket: "calls-src", continuationToken: token, maxKeys: 2)
            listed += page.objects.map(\.key)
            token = page.nextContinuationToken
            pages += 1
        } while token != nil
        #expect(listed == keys.sorted())
        #expect(pages == 3)

        let source = S3Location(bucket: "calls-src", key: "e%f~g=h.txt")
        let item = CopyItem(source: source, destination: S3Location(bucket: "calls-dst", key: "copied/e%f~g=h.txt"), size: head.size, eTag: try await client.headObject(source).eTag)
        let result = try await client.copyObject(item, options: CopyOptions(acl: .bucketOwnerFullControl, storageClass: "STANDARD_IA"))
        #expect(result.eTag == item.eTag)
        #expect(try await s3.get("calls-dst", "copied/e%f~g=h.txt") == S3MotoFixture.bytes(102))
        #expect(try await s3.tags("calls-src", "a b.txt") == ["p=v"])

        let failures = try await client.deleteObjects(keys, in: "calls-src")
        #expect(failures.isEmpty)
        #expect(try await client.listObjectsV2(bucket: "calls-src").objects.isEmpty)
    }

    @Test("CreateMultipartUpload, UploadPartCopy with ranges, ListParts pages, Complete; Abort")
    func multipartCalls() async throws {
        let s3 = try await S3MotoFixture()
        let client = s3.client()
        try await s3.createBucket("mp-src")
        try await s3.createBucket("mp-dst")
        let data = S3MotoFixture.bytes(3 * 262_144 + 1000)
        try await s3.put("mp-src", "big file.bin", data, headers: [("Content-Type", "application/x-hdf5"), ("x-amz-meta-run", "7")])
        let head = try await client.headObject(S3Location(bucket: "mp-src", key: "big file.bin"))
        let item = CopyItem(
            source: S3Location(bucket: "mp-src", key: "big file.bin"), destination: S3Location(bucket: "mp-dst", key: "out/big file.bin"),
            size: head.size, eTag: head.eTag)
        let plan = PartPlan(objectSize: item.size, partSize: 262_144)
        #expect(plan.partCount == 4)
        let uploadID = try await client.createMultipartUpload(item, options: CopyOptions(), source: head, tags: [S3Tag(key: "k", value: "v w")])
        var parts: [S3Part] = []
        for n in 1...plan.partCount {
            parts.append(try await client.uploadPartCopy(item, uploadID: uploadID, partNumber: n, partCount: plan.partCount, range: plan.range(ofPart: n), options: CopyOptions()))
        }
        let listed = try await client.listParts(item.destination, uploadID: uploadID, maxParts: 1)
        #expect(listed.map(\.partNumber) == [1, 2, 3, 4])
        #expect(listed.map(\.size) == [262_144, 262_144, 262_144, 1000])
        #expect(listed.map(\.eTag) == parts.map(\.eTag))
        let complete = try await client.completeMultipartUpload(item.destination, uploadID: uploadID, parts: parts)
        #expect(complete.eTag.hasSuffix("-4\""))
        #expect(try await s3.get("mp-dst", "out/big file.bin") == data)
        let copied = try await client.headObject(item.destination)
        #expect(copied.metadata["run"] == "7")
        #expect(copied.systemHeaders["content-type"] == "application/x-hdf5")
        #expect(try await s3.tags("mp-dst", "out/big file.bin") == ["k=v w"])

        let second = try await client.createMultipartUpload(item, options: CopyOptions(), source: head, tags: [])
        _ = try await client.uploadPartCopy(item, uploadID: second, partNumber: 1, partCount: 4, range: plan.range(ofPart: 1), options: CopyOptions())
        try await client.abortMultipartUpload(item.destination, uploadID: second)
        do {
            _ = try await client.listParts(item.destination, uploadID: second)
            Issue.record("expected NoSuchUpload")
        } catch let error as S3Error {
            #expect(error.code == "NoSuchUpload")
        }
    }
}
