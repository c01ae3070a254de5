import Foundation

/// RFC 3339 UTC timestamps as records store them: `2026-11-25T09:41:07Z`, whole seconds.
public enum RFC3339 {
    /// `date` as `yyyy-MM-ddTHH:mm:ssZ` (UTC; sub-second part dropped).
    public static func string(from date: Date) -> String {
        truncated(date).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    /// Parses an RFC 3339 timestamp, with or without fractional seconds.
    /// - Returns: `nil` when `text` is not one.
    public static func date(from text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
    }

    /// `date` rounded down to a whole second, the precision a record keeps.
    public static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down))
    }
}
