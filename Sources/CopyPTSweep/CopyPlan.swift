import CopyPTRecords
import CopyPTS3
import Foundation

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
        Self.remainder(of: path, after: globusPath).flatMap(Self.checkedRelative)
    }

    /// The relative path of a listed staging key, or `nil` when it is outside the staging
    /// prefix or is a "directory" marker (ends in `/`).
    public func relativePath(ofStagingKey key: String) -> String? {
        guard let relative = Self.remainder(of: key, after: from.prefix),
              let last = relative.utf8.last, last != UInt8(ascii: "/")
        else { return nil }
        return String(relative)
    }

    /// What follows `prefix` in `text`, compared as UTF-8 bytes as S3 compares keys and
    /// prefixes (String's `hasPrefix` compares Characters under canonical equivalence, which
    /// is neither S3's rule nor cheap for a thousand keys a page).
    static func remainder(of text: String, after prefix: String) -> Substring? {
        var text = text
        var prefix = prefix
        let matches = text.withUTF8 { text in
            prefix.withUTF8 { prefix in
                text.count >= prefix.count && (prefix.isEmpty || memcmp(text.baseAddress!, prefix.baseAddress!, prefix.count) == 0)
            }
        }
        guard matches else { return nil }
        return Substring(text.utf8.dropFirst(prefix.utf8.count))
    }

    /// `true` when no segment of a staging key's relative path is `.` or `..`
    /// (``CopyPTS3/S3KeyMapping/isSafe(relative:)``); only such keys are copied.
    public static func isSafe(relative: String) -> Bool {
        S3KeyMapping.isSafe(relative: Substring(relative))
    }

    /// The staging key of `relative`.
    public func stagingKey(for relative: String) -> String { from.prefix + relative }

    /// The destination key of `relative`.
    public func destinationKey(for relative: String) -> String { to.prefix + relative }

    /// The copy of a listed staging object.
    public func copy(of object: StagingObject) -> PlannedCopy? {
        guard let relative = relativePath(ofStagingKey: object.key), Self.isSafe(relative: relative) else { return nil }
        return PlannedCopy(
            sourceBucket: from.bucket, sourceKey: object.key,
            destinationBucket: to.bucket, destinationKey: destinationKey(for: relative),
            size: object.size, eTag: object.eTag)
    }

    /// `relative` as a String when it names a file: not empty, no trailing `/`, no `.`/`..`
    /// segment, no empty leading segment.
    static func checkedRelative(_ relative: Substring) -> String? {
        let bytes = relative.utf8
        guard let first = bytes.first, let last = bytes.last,
              first != UInt8(ascii: "/"), last != UInt8(ascii: "/")
        else { return nil }
        // A segment of one or two bytes that are all dots is `.` or `..`.
        var length = 0
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: "/") {
                if length > 0, length <= 2, dots == length { return nil }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if length <= 2, dots == length { return nil }
        return String(relative)
    }
}
