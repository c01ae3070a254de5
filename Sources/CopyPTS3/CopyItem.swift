/// One object to copy: where from, where to, and what the source looked like when planned.
public struct CopyItem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The source object.
    public var source: S3Location
    /// The destination object.
    public var destination: S3Location
    /// The source size in bytes, from the listing (or HeadObject).
    public var size: Int64
    /// The source ETag seen when planning, with its quotes. Every copy request carries it as
    /// `x-amz-copy-source-if-match`, so a changed source fails instead of being copied.
    public var eTag: String

    /// Creates an item.
    public init(source: S3Location, destination: S3Location, size: Int64, eTag: String) {
        self.source = source
        self.destination = destination
        self.size = size
        self.eTag = eTag
    }

    /// `s3://src/key → s3://dest/key`.
    public var description: String { "\(source) → \(destination)" }
}
