import CopyPTCrypto
import CopyPTHTTP

// MARK: - Objects: HeadObject, CopyObject, GetObjectTagging, DeleteObjects

extension S3Client {
    /// HeadObject: the size, ETag, metadata and system headers of an object.
    /// - Parameters:
    ///   - location: the object.
    ///   - ifMatch: an ETag the object must still have (`If-Match`; a changed object gives 412), default none.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    /// - Throws: ``S3Error`` (`NoSuchKey` when the object does not exist).
    public func headObject(_ location: S3Location, ifMatch: String? = nil, expectedOwner: String? = nil) async throws -> S3ObjectHead {
        var operation = S3Operation(name: "HeadObject \(location)", method: .head, bucket: location.bucket, key: location.key)
        operation.notFoundCode = "NoSuchKey"
        if let ifMatch { operation.headers.append(("If-Match", ifMatch)) }
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        let (response, length): (HTTPResponse, Int64) = try await perform(operation) { response throws(S3ReplyValueError) -> (HTTPResponse, Int64)? in
            guard let text = response.headers["content-length"] else { return nil }
            let length = try S3XMLElement.count(text, in: 0...S3ObjectSummary.maximumSize, named: "Content-Length", of: "the object")
            return (response, length)
        }
        var metadata: [String: String] = [:]
        var system: [String: String] = [:]
        for (name, value) in response.headers {
            let lower = name.lowercased()
            if lower.hasPrefix("x-amz-meta-") {
                metadata[String(lower.dropFirst("x-amz-meta-".count))] = value
            } else if Self.copiedSystemHeaders.contains(lower) {
                system[lower] = value
            }
        }
        return S3ObjectHead(
            size: length,
            eTag: response.headers["etag"] ?? "",
            metadata: metadata,
            systemHeaders: system,
            serverSideEncryption: response.headers["x-amz-server-side-encryption"],
            storageClass: response.headers["x-amz-storage-class"],
            tagCount: response.headers["x-amz-tagging-count"].flatMap { Int($0) } ?? 0
        )
    }

    /// The standard headers a multipart copy carries over from the source (CopyObject keeps them itself).
    static let copiedSystemHeaders: Set<String> = [
        "content-type", "content-encoding", "content-disposition", "content-language",
        "cache-control", "expires", "x-amz-website-redirect-location",
    ]

    /// CopyObject: copies one object of up to 5 GiB in one request, keeping its metadata
    /// and tags (`x-amz-metadata-directive: COPY`, `x-amz-tagging-directive: COPY`).
    /// - Parameters:
    ///   - item: source, destination and the source ETag sent as `x-amz-copy-source-if-match`.
    ///   - options: ACL, storage class, encryption and expected owners.
    /// - Returns: the new object's ETag and encryption.
    /// - Throws: ``S3Error``; a changed source gives 412 `PreconditionFailed` (permanent).
    public func copyObject(_ item: CopyItem, options: CopyOptions) async throws -> S3CopyResult {
        var operation = S3Operation(
            name: "CopyObject \(item.source) → \(item.destination)", method: .put,
            bucket: item.destination.bucket, key: item.destination.key)
        operation.errorMayComeIn200 = true
        operation.headers = Self.copySourceHeaders(item, options: options)
        operation.headers.append(("x-amz-metadata-directive", "COPY"))
        operation.headers.append(("x-amz-tagging-directive", "COPY"))
        operation.headers += options.objectHeaders
        return try await perform(operation) { response in
            S3CopyResult.eTag(xml: response.body).map {
                S3CopyResult(
                    eTag: $0,
                    serverSideEncryption: response.headers["x-amz-server-side-encryption"],
                    versionID: response.headers["x-amz-version-id"])
            }
        }
    }

    /// The headers naming the copy source and the owners, shared by CopyObject and UploadPartCopy.
    static func copySourceHeaders(_ item: CopyItem, options: CopyOptions) -> [(String, String)] {
        var headers: [(String, String)] = [
            ("x-amz-copy-source", S3PathEncoding.encodeKey("\(item.source.bucket)/\(item.source.key)")),
            ("x-amz-copy-source-if-match", item.eTag),
        ]
        if let owner = options.destinationOwner { headers.append(("x-amz-expected-bucket-owner", owner)) }
        if let owner = options.sourceOwner { headers.append(("x-amz-source-expected-bucket-owner", owner)) }
        return headers
    }

    /// GetObjectTagging: the tag set of an object.
    /// - Parameters:
    ///   - location: the object.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    public func getObjectTagging(_ location: S3Location, expectedOwner: String? = nil) async throws -> [S3Tag] {
        var operation = S3Operation(
            name: "GetObjectTagging \(location)", method: .get, bucket: location.bucket, key: location.key,
            query: [("tagging", nil)])
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { S3Tag.tagSet(xml: $0.body) }
    }

    /// DeleteObjects: deletes up to 1,000 keys of one bucket per request (more are split),
    /// quietly (only failures are listed by S3). The body carries an `x-amz-checksum-sha256`,
    /// which S3 accepts in place of Content-MD5.
    /// - Parameters:
    ///   - keys: the keys to delete.
    ///   - bucket: their bucket.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    /// - Returns: the keys S3 could not delete (an empty list when all went).
    public func deleteObjects(_ keys: [String], in bucket: String, expectedOwner: String? = nil) async throws -> [S3DeleteFailure] {
        var failures: [S3DeleteFailure] = []
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 1000, keys.count)]
            start += batch.count
            let body = Array(Self.deleteDocument(batch).utf8)
            var operation = S3Operation(
                name: "DeleteObjects s3://\(bucket) (\(batch.count) keys)", method: .post, bucket: bucket,
                query: [("delete", nil)], body: body)
            operation.headers = [
                ("Content-Type", "application/xml"),
                ("x-amz-sdk-checksum-algorithm", "SHA256"),
                ("x-amz-checksum-sha256", Digest.base64(Digest.sha256(body))),
            ]
            if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
            let result = try await perform(operation) { S3DeleteResult(xml: $0.body) }
            failures += result.failed
        }
        return failures
    }

    /// The `<Delete>` document for `keys`, quiet mode.
    static func deleteDocument(_ keys: some Sequence<String>) -> String {
        var xml = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        for key in keys { xml += "<Object><Key>\(S3XMLEscaping.escape(key))</Key></Object>" }
        return xml + "</Delete>"
    }
}
