/// An `s3://bucket/prefix/` location: a bucket and a key prefix inside it.
///
/// Stored in a record as its URL string. Parsing here is structural only (scheme, a bucket,
/// a prefix); the bucket-naming rules are checked where user input is accepted, so a record
/// written by an older copypt still loads.
public struct S3Prefix: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The bucket name.
    public var bucket: String
    /// The key prefix: empty (the whole bucket) or ending in `/`.
    public var prefix: String

    /// A location from its parts; a non-empty `prefix` without a trailing `/` gets one, so a
    /// prefix always names a "directory" (`run42/` never matches `run420/…`).
    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = (prefix.isEmpty || prefix.hasSuffix("/")) ? prefix : prefix + "/"
    }

    /// Parses `s3://bucket`, `s3://bucket/` or `s3://bucket/some/prefix[/]`.
    /// - Returns: `nil` when the text is not of that shape (wrong scheme, no bucket).
    public init?(url text: String) {
        let scheme = "s3://"
        guard text.hasPrefix(scheme) else { return nil }
        let rest = text.dropFirst(scheme.count)
        let bucket: Substring
        let prefix: Substring
        if let slash = rest.firstIndex(of: "/") {
            bucket = rest[..<slash]
            prefix = rest[rest.index(after: slash)...]
        } else {
            bucket = rest
            prefix = ""
        }
        guard !bucket.isEmpty else { return nil }
        self.init(bucket: String(bucket), prefix: String(prefix))
    }

    /// `s3://bucket/prefix/`.
    public var url: String { "s3://\(bucket)/\(prefix)" }

    /// The URL string.
    public var description: String { url }

    /// `true` when both name the same bucket and one prefix contains the other, so copying
    /// from one to the other would read what it writes. Compared as UTF-8 bytes, as S3 matches
    /// prefixes (`run42/` contains `run42/\u{301}x`, which String's `hasPrefix` denies).
    public func overlaps(_ other: S3Prefix) -> Bool {
        bucket == other.bucket && (prefix.utf8.starts(with: other.prefix.utf8) || other.prefix.utf8.starts(with: prefix.utf8))
    }

    // MARK: - Codable (a single URL string)

    /// Decodes from the URL string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = S3Prefix(url: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an s3://bucket/prefix/ URL")
        }
        self = parsed
    }

    /// Encodes as the URL string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(url)
    }
}
