import Foundation

/// How a key listed under a source prefix maps to a key under a destination prefix, and the
/// rule every destination key must pass before a write request: it lies under its prefix.
///
/// Keys are compared and cut as UTF-8 bytes, as S3 compares keys and prefixes. String's
/// Character operations treat `run42/x` and `run42/\u{301}x` (a combining accent after the
/// `/`) as sharing the prefix `run42/` one Character longer, and canonically equivalent
/// spellings as equal, so two keys could map to one destination. A relative part with a `.`
/// or `..` segment is refused: a server or proxy that resolves dot segments would write
/// `in/run42/../../other/x` outside `in/run42/` (or S3 would reject the signature).
public enum S3KeyMapping {
    /// What follows `prefix` in `key`, by UTF-8 bytes, or `nil` when `key` does not start with it.
    public static func relative(_ key: String, after prefix: String) -> Substring? {
        guard key.utf8.starts(with: prefix.utf8) else { return nil }
        return Substring(key.utf8.dropFirst(prefix.utf8.count))
    }

    /// `true` when no `/`-separated segment of `relative` is `.` or `..` (empty segments, as in
    /// `a//b`, are plain S3 keys and allowed).
    public static func isSafe(relative: Substring) -> Bool {
        var length = 0
        var dots = 0
        for byte in relative.utf8 {
            if byte == UInt8(ascii: "/") {
                if length > 0, dots == length, length <= 2 { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return !(length > 0 && dots == length && length <= 2)
    }

    /// The destination key of `key`: `destinationPrefix` plus `key`'s bytes after
    /// `sourcePrefix`, or `nil` when `key` is not under `sourcePrefix` or its relative part
    /// has a `.` or `..` segment.
    public static func destinationKey(for key: String, sourcePrefix: String, destinationPrefix: String) -> String? {
        guard let relative = relative(key, after: sourcePrefix), isSafe(relative: relative) else { return nil }
        return destinationPrefix + relative
    }

    /// `true` when `key` starts with the bytes of `prefix` and the rest has no `.` or `..`
    /// segment: the check made right before every write request of a prefix copy.
    public static func lies(_ key: String, under prefix: String) -> Bool {
        relative(key, after: prefix).map(isSafe(relative:)) ?? false
    }
}
