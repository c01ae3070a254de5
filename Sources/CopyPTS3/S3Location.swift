/// A bucket and a key (or key prefix), written `s3://bucket/key`.
public struct S3Location: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The bucket name.
    public var bucket: String
    /// The object key or prefix; empty for the whole bucket. Never starts with `/` unless the key does.
    public var key: String

    /// Creates a location.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket`, `s3://bucket/`, `s3://bucket/key` or `s3://bucket/prefix/`.
    ///
    /// The key is taken literally (no percent-decoding), so `s3://b/a%20b` names the key `a%20b`.
    /// - Throws: ``S3Error/invalidLocation(_:)`` for anything else, or an invalid bucket name.
    public init(parsing text: String) throws(S3Error) {
        guard text.hasPrefix("s3://") else { throw .invalidLocation(text) }
        let rest = text.dropFirst("s3://".count)
        let bucket: Substring
        let key: Substring
        if let slash = rest.firstIndex(of: "/") {
            bucket = rest[..<slash]
            key = rest[rest.index(after: slash)...]
        } else {
            bucket = rest
            key = ""
        }
        guard Self.isValidBucketName(bucket) else { throw .invalidLocation(text) }
        self.init(bucket: String(bucket), key: String(key))
    }

    /// `s3://bucket/key`.
    public var description: String { "s3://\(bucket)/\(key)" }

    /// The location of `relativeKey` under this one used as a prefix: `s3://b/p/` + `x` is `s3://b/p/x`.
    public func appending(_ relativeKey: String) -> S3Location {
        S3Location(bucket: bucket, key: key + relativeKey)
    }

    public static func < (lhs: S3Location, rhs: S3Location) -> Bool {
        (lhs.bucket, lhs.key) < (rhs.bucket, rhs.key)
    }

    /// S3's bucket naming rules, loosely: 3–63 characters of `a–z 0–9 . -` (upper case and `_`
    /// allowed for legacy buckets), starting and ending with a letter or digit.
    static func isValidBucketName(_ name: Substring) -> Bool {
        guard (3...255).contains(name.count), let first = name.first, let last = name.last else { return false }
        guard first.isLetter || first.isNumber, last.isLetter || last.isNumber else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" || $0 == "_" }
    }
}
