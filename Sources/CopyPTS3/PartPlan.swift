/// S3's multipart limits, which a ``PartPlan`` must respect.
public struct MultipartLimits: Sendable, Hashable, Codable {
    /// The smallest part but the last: 5 MiB on S3 (moto lowers it with `S3_UPLOAD_PART_MIN_SIZE`).
    public var minimumPartSize: Int64
    /// The largest part: 5 GiB.
    public var maximumPartSize: Int64
    /// The most parts in one upload: 10,000.
    public var maximumPartCount: Int

    /// Creates limits; the defaults are S3's (5 MiB, 5 GiB, 10,000 parts).
    public init(
        minimumPartSize: Int64 = 5 * PartPlan.mebibyte,
        maximumPartSize: Int64 = 5 * PartPlan.gibibyte,
        maximumPartCount: Int = 10_000
    ) {
        self.minimumPartSize = minimumPartSize
        self.maximumPartSize = maximumPartSize
        self.maximumPartCount = maximumPartCount
    }

    /// S3's documented limits.
    public static let s3 = MultipartLimits()
}

/// How one large object is cut into UploadPartCopy ranges: few, large parts.
///
/// The part count is `max(⌈size / max part⌉, min(concurrency, ⌊size / min part⌋))`, so
/// every part is within S3's limits and there are as many parts as copies running at
/// once, but never more than needed: a 10 GiB object at concurrency 16 takes 16 parts of
/// 640 MiB (the AWS CLI's 8 MiB parts take 1,280).
public struct PartPlan: Sendable, Hashable, Codable {
    /// The object size in bytes.
    public let objectSize: Int64
    /// The size of every part but the last.
    public let partSize: Int64
    /// The number of parts.
    public let partCount: Int

    /// 1 MiB.
    public static let mebibyte: Int64 = 1 << 20
    /// 1 GiB.
    public static let gibibyte: Int64 = 1 << 30

    /// Plans parts for an object of `size` bytes.
    /// - Parameters:
    ///   - size: the object size, at least 1 byte.
    ///   - concurrency: how many part copies may run at once; the plan aims for that many parts.
    ///   - limits: S3's limits, default ``MultipartLimits/s3``.
    /// - Throws: ``S3Error/invalidRequest(_:)`` when the object cannot fit in the part limits.
    public init(size: Int64, concurrency: Int, limits: MultipartLimits = .s3) throws(S3Error) {
        let largest = limits.maximumPartSize * Int64(limits.maximumPartCount)
        guard size > 0, size <= largest else {
            throw .invalidRequest(
                "an object of \(size) bytes cannot be copied in at most \(limits.maximumPartCount) parts of at most \(limits.maximumPartSize) bytes")
        }
        let needed = Self.ceilDiv(size, limits.maximumPartSize)
        let wanted = min(Int64(max(concurrency, 1)), max(size / limits.minimumPartSize, 1))
        let count = min(max(needed, wanted), Int64(limits.maximumPartCount))
        let partSize = Self.ceilDiv(size, count)
        self.init(objectSize: size, partSize: partSize)
    }

    /// A plan with a given part size (used to resume an upload whose parts already exist).
    /// - Parameters:
    ///   - objectSize: the object size, at least 1 byte.
    ///   - partSize: the size of every part but the last, at least 1 byte.
    public init(objectSize: Int64, partSize: Int64) {
        precondition(objectSize > 0 && partSize > 0, "PartPlan needs positive sizes")
        self.objectSize = objectSize
        self.partSize = partSize
        self.partCount = Int(Self.ceilDiv(objectSize, partSize))
    }

    /// `true` when every part is within `limits` (the last may be smaller than the minimum).
    public func fits(_ limits: MultipartLimits) -> Bool {
        partCount <= limits.maximumPartCount && partSize <= limits.maximumPartSize
            && (partCount == 1 || partSize >= limits.minimumPartSize)
    }

    /// The inclusive byte range of part `number` (1-based), as `x-amz-copy-source-range` wants it.
    public func range(ofPart number: Int) -> ClosedRange<Int64> {
        precondition((1...partCount).contains(number), "part \(number) outside 1...\(partCount)")
        let first = Int64(number - 1) * partSize
        let last = min(first + partSize, objectSize) - 1
        return first...last
    }

    /// The size of part `number` (1-based).
    public func size(ofPart number: Int) -> Int64 {
        let range = range(ofPart: number)
        return range.upperBound - range.lowerBound + 1
    }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { (a + b - 1) / b }
}
