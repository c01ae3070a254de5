import CopyPTHTTP

// MARK: - Decoding S3's XML response documents

/// An S3 `<Error>` document.
struct S3ErrorDocument: Sendable, Equatable {
    var code: String
    var message: String
    var requestID: String?

    /// Reads `<Error><Code/><Message/><RequestId/></Error>`; `nil` when the body is not one.
    init?(_ bytes: [UInt8]) {
        // Every successful copy's body is checked for an error (S3 may send one with 200);
        // skip the XML parser unless an Error element (with any prefix) can be there at all.
        guard Self.mayHoldError(bytes), let root = S3XMLElement.parse(bytes), root.isNamed("Error"), let code = root.string("Code") else {
            return nil
        }
        self.code = code
        self.message = root.string("Message") ?? ""
        self.requestID = root.string("RequestId")
    }

    /// `false` when `bytes` cannot contain an `Error` element: the word is nowhere in them.
    static func mayHoldError(_ bytes: [UInt8]) -> Bool {
        bytes[...].range(ofASCII: "Error") != nil
    }
}

extension S3ListPage {
    /// Reads a `ListBucketResult` (ListObjectsV2). When `EncodingType` is `url`, keys and
    /// prefixes are decoded as S3 encodes them (`+` for space, `%XX` for other bytes).
    /// - Throws: ``S3ReplyValueError`` for a `Size` that is not a byte count up to
    ///   ``S3ObjectSummary/maximumSize``, or a key that is not UTF-8 once decoded.
    init?(xml bytes: [UInt8]) throws(S3ReplyValueError) {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("ListBucketResult") else { return nil }
        let encoded = root.string("EncodingType")?.lowercased() == "url"
        func decode(_ text: String) -> String? { encoded ? S3FormDecoding.decode(text) : text }
        var objects: [S3ObjectSummary] = []
        var prefixes: [String] = []
        // One pass over the root's children and one over each item's, taking the first of each
        // name as `string(_:)` would: a page holds up to 1,000 items, and filtering the children
        // and then searching each item four times was most of decoding it (scripts/bench P1).
        objects.reserveCapacity(root.children.count)
        for item in root.children {
            switch item.name {
            case "Contents":
                var key: String?, size: Int64?, sizeText: String?, eTag: String?, storageClass: String?
                for field in item.children {
                    switch field.name {
                    case "Key": if key == nil { key = field.text }
                    case "Size": if sizeText == nil { sizeText = field.text }
                    case "ETag": if eTag == nil { eTag = field.text }
                    case "StorageClass": if storageClass == nil { storageClass = field.text }
                    default: break
                    }
                }
                guard let rawKey = key else { return nil }
                guard let key = decode(rawKey) else {
                    // S3 keys are UTF-8; one that is not cannot be named in a request either.
                    throw S3ReplyValueError(detail: "Key \(rawKey.prefix(120)) is not UTF-8 text once URL-decoded")
                }
                if let sizeText {
                    size = try S3XMLElement.count(sizeText, in: 0...S3ObjectSummary.maximumSize, named: "Size", of: "key \(key)")
                }
                objects.append(S3ObjectSummary(key: key, size: size ?? 0, eTag: eTag ?? "", storageClass: storageClass))
            case "CommonPrefixes":
                guard let raw = item.string("Prefix"), let value = decode(raw) else { return nil }
                prefixes.append(value)
            default:
                break
            }
        }
        let truncated = root.bool("IsTruncated") ?? false
        let token = root.string("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        self.init(objects: objects, commonPrefixes: prefixes, nextContinuationToken: truncated ? token : nil)
    }
}

/// One page of ListParts.
struct S3PartsPage: Sendable, Equatable {
    var parts: [S3Part]
    var nextPartNumberMarker: Int?

    /// Reads a `ListPartsResult` (or moto's `ListPartsResponse`).
    /// - Throws: ``S3ReplyValueError`` for a `PartNumber` or `NextPartNumberMarker` outside
    ///   1…10,000 or a part `Size` outside 0…5 GiB (S3's multipart limits).
    init?(xml bytes: [UInt8]) throws(S3ReplyValueError) {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("ListPartsResult") else {
            return nil
        }
        let limits = MultipartLimits.s3
        let numbers = 1...Int64(limits.maximumPartCount)
        var parts: [S3Part] = []
        for part in root.children("Part") {
            guard let numberText = part.string("PartNumber"), let eTag = part.string("ETag") else { return nil }
            let number = try S3XMLElement.count(numberText, in: numbers, named: "PartNumber", of: "a part")
            var size: Int64 = 0
            if let text = part.string("Size") {
                size = try S3XMLElement.count(text, in: 0...limits.maximumPartSize, named: "Size", of: "part \(number)")
            }
            parts.append(S3Part(partNumber: Int(number), eTag: eTag, size: size))
        }
        self.parts = parts
        let truncated = root.bool("IsTruncated") ?? false
        var marker: Int?
        if truncated, let text = root.string("NextPartNumberMarker") {
            marker = Int(try S3XMLElement.count(text, in: numbers, named: "NextPartNumberMarker", of: "the page"))
        }
        self.nextPartNumberMarker = marker
    }
}

extension S3CopyResult {
    /// Reads a `CopyObjectResult` (CopyObject) or `CopyPartResult` (UploadPartCopy) ETag.
    static func eTag(xml bytes: [UInt8]) -> String? {
        if let eTag = plainETag(bytes) { return eTag }
        guard let root = S3XMLElement.parse(bytes),
            root.isNamed("CopyObjectResult") || root.isNamed("CopyPartResult")
        else { return nil }
        return root.string("ETag")
    }

    /// The ETag of a copy result read without the XML parser, which cost more CPU than the
    /// rest of a small CopyObject (scripts/bench P1): only for the plain shape S3 sends — a
    /// `CopyObjectResult`/`CopyPartResult` with one `<ETag>` whose text is hex digits, dashes
    /// and quotes written `"` or `&quot;`. Anything else returns `nil`, and the caller parses.
    static func plainETag(_ bytes: [UInt8]) -> String? {
        let all = bytes[...]
        guard all.range(ofASCII: "<CopyObjectResult") != nil || all.range(ofASCII: "<CopyPartResult") != nil,
              let open = all.range(ofASCII: "<ETag>"),
              let close = all[open.upperBound...].range(ofASCII: "</ETag>"),
              all[close.upperBound...].range(ofASCII: "<ETag") == nil,
              all[..<open.lowerBound].range(ofASCII: "<ETag") == nil
        else { return nil }
        var text: [UInt8] = []
        var index = open.upperBound
        while index < close.lowerBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&") {
                guard bytes[index..<close.lowerBound].starts(with: "&quot;".utf8) else { return nil }
                text.append(UInt8(ascii: "\""))
                index += 6
                continue
            }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                 UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: "-"), UInt8(ascii: "\""):
                text.append(byte)
            default:
                return nil
            }
            index += 1
        }
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }
}

extension S3CompleteResult {
    /// Reads a `CompleteMultipartUploadResult`.
    init?(xml bytes: [UInt8]) {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("CompleteMultipartUploadResult"),
            let eTag = root.string("ETag")
        else { return nil }
        self.init(eTag: eTag)
    }
}

/// Reads the UploadId of an `InitiateMultipartUploadResult`.
func s3UploadID(xml bytes: [UInt8]) -> String? {
    guard let root = S3XMLElement.parse(bytes), root.isNamed("InitiateMultipartUploadResult") else { return nil }
    return root.string("UploadId").flatMap { $0.isEmpty ? nil : $0 }
}

extension S3DeleteResult {
    /// Reads a `DeleteResult`.
    init?(xml bytes: [UInt8]) {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("DeleteResult") else { return nil }
        let deleted = root.children("Deleted").compactMap { $0.string("Key") }
        let failed = root.children("Error").map {
            S3DeleteFailure(key: $0.string("Key") ?? "", code: $0.string("Code") ?? "", message: $0.string("Message") ?? "")
        }
        self.init(deleted: deleted, failed: failed)
    }
}

extension S3Tag {
    /// Reads a `Tagging` document's `TagSet`.
    static func tagSet(xml bytes: [UInt8]) -> [S3Tag]? {
        guard let root = S3XMLElement.parse(bytes), root.isNamed("Tagging") else { return nil }
        let tags = root.child("TagSet")?.children("Tag") ?? []
        return tags.map { S3Tag(key: $0.string("Key") ?? "", value: $0.string("Value") ?? "") }
    }
}

// MARK: - URL decoding of listed keys

/// Decodes keys S3 returns under `encoding-type=url`: `+` is a space and `%XX` a byte,
/// as botocore decodes them (`unquote_plus`).
enum S3FormDecoding {
    /// The decoded text, or `nil` when an escape is malformed or the bytes are not UTF-8.
    static func decode(_ text: String) -> String? {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = bytes.next().flatMap(PercentEncoding.hexValue),
                      let low = bytes.next().flatMap(PercentEncoding.hexValue) else {
                    return nil
                }
                out.append(high << 4 | low)
            default:
                out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}

extension ArraySlice<UInt8> {
    /// Where `needle` first occurs (see `UnsafeBufferPointer.firstOffset(ofASCII:)`).
    fileprivate func range(ofASCII needle: StaticString) -> Range<Int>? {
        let length = needle.utf8CodeUnitCount
        return withUnsafeBufferPointer { $0.firstOffset(ofASCII: needle) }
            .map { startIndex + $0 ..< startIndex + $0 + length }
    }
}
