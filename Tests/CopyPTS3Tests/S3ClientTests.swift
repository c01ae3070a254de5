import CopyPTHTTP
import CopyPTTestSupport
import Testing

@testable import CopyPTS3

/// The requests the client builds (moto checks none of these headers, so they are pinned here)
/// and how it decodes answers and retries.
@Suite struct S3ClientTests {
    typealias T = S3TestSupport

    static let item = CopyItem(
        source: S3Location(bucket: "staging", key: "run42/a b+c%~=é.h5"),
        destination: S3Location(bucket: "dest", key: "in/run42/a b+c%~=é.h5"),
        size: 10 << 30, eTag: "\"9b2cf535f27731c974343645a3985328\"")
    static let owners = CopyOptions(
        acl: .bucketOwnerFullControl, storageClass: "INTELLIGENT_TIERING",
        serverSideEncryption: .kms(keyID: "arn:aws:kms:us-east-1:111122223333:key/k1"),
        destinationOwner: "111122223333", sourceOwner: "444455556666")
    static let encodedSourceKey = "staging/run42/a%20b%2Bc%25~%3D%C3%A9.h5"
    static let destinationPath = "/dest/in/run42/a%20b%2Bc%25~%3D%C3%A9.h5"

    // MARK: - Request shapes

    @Test("CopyObject: PUT with copy source, If-Match, owners, ACL, storage class, SSE-KMS, COPY directives")
    func copyObject() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-object-result.xml", headers: ["x-amz-server-side-encryption": "aws:kms"])])
        let result = try await T.client(stub).copyObject(Self.item, options: Self.owners)
        #expect(result.eTag == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(result.serverSideEncryption == "aws:kms")
        let request = try #require(stub.requests.first)
        #expect(request.method == .put)
        #expect(request.url == "http://127.0.0.1:9000" + Self.destinationPath)
        #expect(request.headers["x-amz-copy-source"] == Self.encodedSourceKey)
        #expect(request.headers["x-amz-copy-source-if-match"] == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(request.headers["x-amz-expected-bucket-owner"] == "111122223333")
        #expect(request.headers["x-amz-source-expected-bucket-owner"] == "444455556666")
        #expect(request.headers["x-amz-acl"] == "bucket-owner-full-control")
        #expect(request.headers["x-amz-storage-class"] == "INTELLIGENT_TIERING")
        #expect(request.headers["x-amz-server-side-encryption"] == "aws:kms")
        #expect(request.headers["x-amz-server-side-encryption-aws-kms-key-id"] == "arn:aws:kms:us-east-1:111122223333:key/k1")
        #expect(request.headers["x-amz-metadata-directive"] == "COPY")
        #expect(request.headers["x-amz-tagging-directive"] == "COPY")
        #expect(request.headers["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(request.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/") == true)
        #expect(request.body.isEmpty)
    }

    @Test("CopyObject without options sends no ACL, storage class, SSE or owner headers")
    func copyObjectPlain() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-object-result.xml")])
        _ = try await T.client(stub).copyObject(Self.item, options: CopyOptions())
        let request = try #require(stub.requests.first)
        for name in ["x-amz-acl", "x-amz-storage-class", "x-amz-server-side-encryption", "x-amz-expected-bucket-owner", "x-amz-source-expected-bucket-owner"] {
            #expect(request.headers[name] == nil, "\(name)")
        }
    }

    @Test("UploadPartCopy: PUT ?partNumber&uploadId with the byte range, If-Match and both owners")
    func uploadPartCopy() async throws {
        let stub = StubTransport(responses: [try T.ok("copy-part-result.xml")])
        let part = try await T.client(stub).uploadPartCopy(
            Self.item, uploadID: "up/1+=", partNumber: 7, partCount: 16, range: 4_026_531_840...4_697_620_479, options: Self.owners)
        #expect(part == S3Part(partNumber: 7, eTag: "\"b54357faf0632cce46e942fa68356b38\"", size: 671_088_640))
        let request = try #require(stub.requests.first)
        #expect(request.method == .put)
        #expect(request.url == "http://127.0.0.1:9000" + Self.destinationPath + "?partNumber=7&uploadId=up%2F1%2B%3D")
        #expect(request.headers["x-amz-copy-source"] == Self.encodedSourceKey)
        #expect(request.headers["x-amz-copy-source-range"] == "bytes=4026531840-4697620479")
        #expect(request.headers["x-amz-copy-source-if-match"] == Self.item.eTag)
        #expect(request.headers["x-amz-expected-bucket-owner"] == "111122223333")
        #expect(request.headers["x-amz-source-expected-bucket-owner"] == "444455556666")
        // ACL, class and encryption belong on CreateMultipartUpload, not on parts.
        #expect(request.headers["x-amz-acl"] == nil)
        #expect(request.headers["x-amz-server-side-encryption"] == nil)
    }

    @Test("CreateMultipartUpload: POST ?uploads= carrying metadata, system headers, tags, ACL, class, SSE, owner")
    func createMultipartUpload() async throws {
        let stub = StubTransport(responses: [try T.ok("initiate-multipart-upload-result.xml")])
        let head = S3ObjectHead(
            size: 1, eTag: "\"x\"", metadata: ["run": "42", "instrument": "det ä"],
            systemHeaders: ["content-type": "application/x-hdf5", "cache-control": "no-cache"],
            serverSideEncryption: nil, storageClass: nil, tagCount: 2)
        let tags = [S3Tag(key: "project", value: "climate run 42"), S3Tag(key: "owner", value: "a&b=c")]
        let id = try await T.client(stub).createMultipartUpload(Self.item, options: Self.owners, source: head, tags: tags)
        #expect(id == "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA")
        let request = try #require(stub.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "http://127.0.0.1:9000" + Self.destinationPath + "?uploads=")
        #expect(request.headers["content-type"] == "application/x-hdf5")
        #expect(request.headers["cache-control"] == "no-cache")
        #expect(request.headers["x-amz-meta-run"] == "42")
        #expect(request.headers["x-amz-meta-instrument"] == "det ä")
        #expect(request.headers["x-amz-tagging"] == "project=climate%20run%2042&owner=a%26b%3Dc")
        #expect(request.headers["x-amz-acl"] == "bucket-owner-full-control")
        #expect(request.headers["x-amz-storage-class"] == "INTELLIGENT_TIERING")
        #expect(request.headers["x-amz-server-side-encryption"] == "aws:kms")
        #expect(request.headers["x-amz-expected-bucket-owner"] == "111122223333")
        #expect(request.headers["x-amz-copy-source"] == nil)
    }

    @Test("CompleteMultipartUpload: POST ?uploadId with the parts sorted, body hashed")
    func complete() async throws {
        let stub = StubTransport(responses: [try T.ok("complete-multipart-upload-result.xml")])
        let parts = [S3Part(partNumber: 2, eTag: "\"b\"", size: 5), S3Part(partNumber: 1, eTag: "\"a\"", size: 5)]
        let result = try await T.client(stub).completeMultipartUpload(Self.item.destination, uploadID: "u1", parts: parts, expectedOwner: "111122223333")
        #expect(result.eTag == "\"3858f62230ac3c915f300c664312c11f-16\"")
        let request = try #require(stub.requests.first)
        #expect(request.method == .post)
        #expect(request.url.hasSuffix(Self.destinationPath + "?uploadId=u1"))
        #expect(String(decoding: request.body, as: UTF8.self) == "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part><ETag>&quot;a&quot;</ETag><PartNumber>1</PartNumber></Part><Part><ETag>&quot;b&quot;</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>")
        #expect(request.headers["x-amz-content-sha256"] != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(request.headers["x-amz-expected-bucket-owner"] == "111122223333")
    }

    @Test("AbortMultipartUpload: DELETE ?uploadId")
    func abort() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 204)])
        try await T.client(stub).abortMultipartUpload(Self.item.destination, uploadID: "u1")
        let request = try #require(stub.requests.first)
        #expect(request.method == .delete)
        #expect(request.url.hasSuffix(Self.destinationPath + "?uploadId=u1"))
    }

    @Test("ListParts follows part-number markers across pages")
    func listParts() async throws {
        let stub = StubTransport(responses: [try T.ok("list-parts-page1.xml"), try T.ok("list-parts-page2.xml")])
        let parts = try await T.client(stub).listParts(Self.item.destination, uploadID: "u1", maxParts: 2)
        #expect(parts.map(\.partNumber) == [1, 2, 5])
        #expect(stub.requests.map(\.method) == [.get, .get])
        #expect(stub.requests[0].url.hasSuffix("?max-parts=2&uploadId=u1"))
        #expect(stub.requests[1].url.hasSuffix("?max-parts=2&part-number-marker=2&uploadId=u1"))
    }

    @Test("ListObjectsV2: list-type=2, encoding-type=url, prefix and continuation token encoded")
    func listObjects() async throws {
        let stub = StubTransport(responses: [try T.ok("list-objects-v2-url-page1.xml"), try T.ok("list-objects-v2-url-page2.xml")])
        var keys: [String] = []
        try await T.client(stub).listAllObjects(bucket: "staging", prefix: "run42/", expectedOwner: "444455556666") { keys += $0.map(\.key) }
        #expect(keys.count == 5)
        #expect(stub.requests[0].url == "http://127.0.0.1:9000/staging?encoding-type=url&list-type=2&prefix=run42%2F")
        #expect(stub.requests[1].url == "http://127.0.0.1:9000/staging?continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D&encoding-type=url&list-type=2&prefix=run42%2F")
        #expect(stub.requests[0].headers["x-amz-expected-bucket-owner"] == "444455556666")
    }

    @Test("HeadObject: size, ETag, metadata, system headers, tag count; If-Match sent")
    func headObject() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, headers: [
            "Content-Length": "1234", "ETag": "\"abc\"", "Content-Type": "text/plain", "x-amz-meta-Run": "42",
            "x-amz-tagging-count": "3", "x-amz-server-side-encryption": "AES256", "Last-Modified": "x",
        ])])
        let head = try await T.client(stub).headObject(Self.item.source, ifMatch: "\"abc\"", expectedOwner: "444455556666")
        #expect(head.size == 1234)
        #expect(head.eTag == "\"abc\"")
        #expect(head.metadata == ["run": "42"])
        #expect(head.systemHeaders == ["content-type": "text/plain"])
        #expect(head.tagCount == 3)
        #expect(head.serverSideEncryption == "AES256")
        let request = try #require(stub.requests.first)
        #expect(request.method == .head)
        #expect(request.headers["if-match"] == "\"abc\"")
        #expect(request.headers["x-amz-expected-bucket-owner"] == "444455556666")
    }

    @Test("a bodiless 404 on HeadObject is NoSuchKey, permanent")
    func headObjectMissing() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 404, headers: ["x-amz-request-id": "R1"])])
        await #expect(throws: S3Error.service(operation: "HeadObject s3://staging/run42/a b+c%~=é.h5", status: 404, code: "NoSuchKey", message: "", requestID: "R1")) {
            _ = try await T.client(stub).headObject(Self.item.source)
        }
        #expect(stub.requests.count == 1)
    }

    @Test("GetObjectTagging: GET ?tagging=")
    func tagging() async throws {
        let stub = StubTransport(responses: [try T.ok("get-object-tagging.xml")])
        let tags = try await T.client(stub).getObjectTagging(Self.item.source)
        #expect(tags.count == 2)
        #expect(stub.requests[0].url.hasSuffix("?tagging="))
        #expect(stub.requests[0].method == .get)
    }

    @Test("DeleteObjects: at most 1,000 keys a call, quiet, with a SHA-256 checksum")
    func deleteObjects() async throws {
        let stub = StubTransport(handler: { _ in HTTPResponse(status: 200, body: Array("<DeleteResult/>".utf8)) })
        let keys = (0..<2500).map { "k/\($0)&<" }
        let failures = try await T.client(stub).deleteObjects(keys, in: "staging")
        #expect(failures.isEmpty)
        #expect(stub.requests.count == 3)
        let first = stub.requests[0]
        #expect(first.method == .post)
        #expect(first.url == "http://127.0.0.1:9000/staging?delete=")
        #expect(first.headers["x-amz-sdk-checksum-algorithm"] == "SHA256")
        #expect(first.headers["x-amz-checksum-sha256"]?.count == 44)
        let body = String(decoding: first.body, as: UTF8.self)
        #expect(body.hasPrefix("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet><Object><Key>k/0&amp;&lt;</Key></Object>"))
        #expect(body.components(separatedBy: "<Object>").count - 1 == 1000)
        #expect(String(decoding: stub.requests[2].body, as: UTF8.self).components(separatedBy: "<Object>").count - 1 == 500)
    }
}
