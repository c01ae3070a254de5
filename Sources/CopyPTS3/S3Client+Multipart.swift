// MARK: - Multipart copies

extension S3Client {
    /// CreateMultipartUpload for the destination of `item`.
    /// - Parameters:
    ///   - item: the copy; its destination is created.
    ///   - options: ACL, storage class, encryption and the destination owner.
    ///   - source: the source's HeadObject, whose metadata and system headers are kept.
    ///   - tags: the source's tags, set on the new object.
    /// - Returns: the UploadId.
    public func createMultipartUpload(
        _ item: CopyItem, options: CopyOptions, source: S3ObjectHead, tags: [S3Tag]
    ) async throws -> String {
        var operation = S3Operation(
            name: "CreateMultipartUpload for \(item.destination)", method: .post,
            bucket: item.destination.bucket, key: item.destination.key, query: [("uploads", nil)])
        for name in source.systemHeaders.keys.sorted() {
            if let value = source.systemHeaders[name] { operation.headers.append((name, value)) }
        }
        for name in source.metadata.keys.sorted() {
            if let value = source.metadata[name] { operation.headers.append(("x-amz-meta-" + name, value)) }
        }
        if !tags.isEmpty {
            let tagging = tags.map {
                S3PathEncoding.encodeQueryComponent($0.key) + "=" + S3PathEncoding.encodeQueryComponent($0.value)
            }
            operation.headers.append(("x-amz-tagging", tagging.joined(separator: "&")))
        }
        operation.headers += options.objectHeaders
        if let owner = options.destinationOwner { operation.headers.append(("x-amz-expected-bucket-owner", owner)) }
        return try await perform(operation) { s3UploadID(xml: $0.body) }
    }

    /// UploadPartCopy: copies bytes `range` of the source into part `partNumber`.
    /// - Parameters:
    ///   - item: the copy; the source ETag goes in `x-amz-copy-source-if-match`.
    ///   - uploadID: the multipart upload.
    ///   - partNumber: 1…10,000.
    ///   - partCount: the plan's part count, for messages.
    ///   - range: the inclusive byte range (`x-amz-copy-source-range`), or `nil` for the whole object.
    ///   - options: the expected owners.
    /// - Returns: the part, with its ETag and size.
    public func uploadPartCopy(
        _ item: CopyItem, uploadID: String, partNumber: Int, partCount: Int,
        range: ClosedRange<Int64>?, options: CopyOptions
    ) async throws -> S3Part {
        var operation = S3Operation(
            name: "UploadPartCopy part \(partNumber)/\(partCount) for \(item.destination)", method: .put,
            bucket: item.destination.bucket, key: item.destination.key,
            query: [("partNumber", String(partNumber)), ("uploadId", uploadID)])
        operation.errorMayComeIn200 = true
        operation.notFoundCode = "NoSuchUpload"
        operation.headers = Self.copySourceHeaders(item, options: options)
        if let range {
            operation.headers.append(("x-amz-copy-source-range", "bytes=\(range.lowerBound)-\(range.upperBound)"))
        }
        let eTag = try await perform(operation) { S3CopyResult.eTag(xml: $0.body) }
        let size = range.map { $0.upperBound - $0.lowerBound + 1 } ?? item.size
        return S3Part(partNumber: partNumber, eTag: eTag, size: size)
    }

    /// CompleteMultipartUpload with `parts` (sorted by number here).
    /// - Returns: the new object's multipart ETag.
    public func completeMultipartUpload(
        _ destination: S3Location, uploadID: String, parts: [S3Part], expectedOwner: String? = nil
    ) async throws -> S3CompleteResult {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
            xml += "<Part><ETag>\(S3XMLEscaping.escape(part.eTag))</ETag><PartNumber>\(part.partNumber)</PartNumber></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var operation = S3Operation(
            name: "CompleteMultipartUpload for \(destination)", method: .post, bucket: destination.bucket,
            key: destination.key, query: [("uploadId", uploadID)], body: Array(xml.utf8))
        operation.errorMayComeIn200 = true
        operation.notFoundCode = "NoSuchUpload"
        operation.headers = [("Content-Type", "application/xml")]
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        return try await perform(operation) { S3CompleteResult(xml: $0.body) }
    }

    /// AbortMultipartUpload: drops the upload and the parts copied so far.
    public func abortMultipartUpload(_ destination: S3Location, uploadID: String, expectedOwner: String? = nil) async throws {
        var operation = S3Operation(
            name: "AbortMultipartUpload for \(destination)", method: .delete, bucket: destination.bucket,
            key: destination.key, query: [("uploadId", uploadID)])
        operation.notFoundCode = "NoSuchUpload"
        if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
        _ = try await perform(operation)
    }

    /// ListParts, every page: the parts already in place for `uploadID`.
    /// - Parameters:
    ///   - destination: the object being uploaded.
    ///   - uploadID: the upload.
    ///   - maxParts: parts per page, default S3's 1,000.
    ///   - expectedOwner: the account id that must own the bucket, default none.
    /// - Throws: ``S3Error``; ``S3Error/invalidResponse(operation:detail:)`` for a part number
    ///   outside 1…10,000 or a marker that does not advance.
    public func listParts(
        _ destination: S3Location, uploadID: String, maxParts: Int? = nil, expectedOwner: String? = nil
    ) async throws -> [S3Part] {
        var parts: [S3Part] = []
        var marker: Int?
        repeat {
            var query: [(String, String?)] = []
            if let maxParts { query.append(("max-parts", String(maxParts))) }
            if let marker { query.append(("part-number-marker", String(marker))) }
            query.append(("uploadId", uploadID))
            var operation = S3Operation(
                name: "ListParts for \(destination)", method: .get, bucket: destination.bucket,
                key: destination.key, query: query)
            operation.notFoundCode = "NoSuchUpload"
            operation.maxResponseBytes = S3Operation.listingReplyLimit
            if let expectedOwner { operation.headers.append(("x-amz-expected-bucket-owner", expectedOwner)) }
            let page = try await perform(operation) { response throws(S3ReplyValueError) in try S3PartsPage(xml: response.body) }
            parts += page.parts
            if page.parts.isEmpty { break }
            // Part numbers ascend, so each page's marker must pass the last one: a marker that
            // does not would list the same parts forever.
            if let next = page.nextPartNumberMarker, let marker, next <= marker {
                throw S3Error.invalidResponse(
                    operation: "ListParts for \(destination)",
                    detail: "the next part-number marker \(next) does not pass the previous one, \(marker), so the listing would never end")
            }
            marker = page.nextPartNumberMarker
        } while marker != nil
        return parts
    }
}
