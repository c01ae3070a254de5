import CopyPTRecords

/// How one transfer's paths map: a file Globus delivered to `<globusPath><relative>` is the
/// staging object `<from.prefix><relative>` and is copied to `<to.prefix><relative>`.
///
/// The relative part is taken as it is (no Unicode normalisation, no percent-decoding): S3 keys
/// are the bytes Globus wrote. Paths outside the Globus path, directory entries and paths with
/// `.` or `..` segments map to nothing and are reported rather than copied.
public struct CopyPlan: Sendable, Hashable {
    /// The Globus path of the staging prefix, with a leading and a trailing `/`.
    public let globusPath: String
    /// The staging location.
    public let from: S3Prefix
    /// The destination location.
    public let to: S3Prefix

    /// A plan for `record`'s locations.
    public init(record: TransferRecord) {
        self.init(globusPath: record.globusPath, from: record.from, to: record.to)
    }

    /// A plan; `globusPath` gets a leading and a trailing `/` if it lacks them.
    public init(globusPath: String, from: S3Prefix, to: S3Prefix) {
        var path = globusPath.hasPrefix("/") ? globusPath : "/" + globusPath
        if !path.hasSuffix("/") { path += "/" }
        self.globusPath = path
        self.from = from
        self.to = to
    }

    // MARK: - Mapping

    /// The relative path of a delivered `destination_path`, or `nil` when it is outside the
    /// Globus path or is not a file path.
    public func relativePath(ofDelivered path: String) -> String? {
        guard path.hasPrefix(globusPath) else { return nil }
        return Self.checkedRelative(path.dropFirst(globusPath.count))
    }

    /// The relative path of a listed staging key, or `nil` when it is outside the staging
    /// prefix or is a "directory" marker (ends in `/`).
    public func relativePath(ofStagingKey key: String) -> String? {
        guard key.hasPrefix(from.prefix) else { return nil }
        let relative = key.dropFirst(from.prefix.count)
        guard !relative.isEmpty, !relative.hasSuffix("/") else { return nil }
        return String(relative)
    }

    /// The staging key of `relative`.
    public func stagingKey(for relative: String) -> String { from.prefix + relative }

    /// The destination key of `relative`.
    public func destinationKey(for relative: String) -> String { to.prefix + relative }

    /// The copy of a listed staging object.
    public func copy(of object: StagingObject) -> PlannedCopy? {
        guard let relative = relativePath(ofStagingKey: object.key) else { return nil }
        return PlannedCopy(
            sourceBucket: from.bucket, sourceKey: object.key,
            destinationBucket: to.bucket, destinationKey: destinationKey(for: relative),
            size: object.size, eTag: object.eTag)
    }

    /// `relative` as a String when it names a file: not empty, no trailing `/`, no `.`/`..`
    /// segment, no empty leading segment.
    static func checkedRelative(_ relative: Substring) -> String? {
        guard !relative.isEmpty, !relative.hasSuffix("/"), !relative.hasPrefix("/") else { return nil }
        for segment in relative.split(separator: "/", omittingEmptySubsequences: false) where segment == "." || segment == ".." {
            return nil
        }
        return String(relative)
    }
}
