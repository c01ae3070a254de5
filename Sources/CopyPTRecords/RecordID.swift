import Foundation

/// Record ids: the UTC date the transfer was added and 6 random hex digits,
/// e.g. `20261125-3f9a2c`. Short enough to type, sortable by day, and 16.7 million
/// choices a day make a clash unlikely (creation refuses to overwrite one anyway).
public enum RecordID {
    /// A new id for a transfer added at `date`.
    /// - Parameters:
    ///   - date: when the transfer is added (its UTC day forms the first part).
    ///   - generator: the random source (inject a seeded one in tests).
    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let day = String(RFC3339.string(from: date).prefix(10)).replacingOccurrences(of: "-", with: "")
        let random = UInt32.random(in: 0...0xFF_FFFF, using: &generator)
        let hex = String(random, radix: 16)
        return day + "-" + String(repeating: "0", count: 6 - hex.count) + hex
    }

    /// `true` when `id` can name a record file: 1–64 characters of `A–Z a–z 0–9 _ -`,
    /// starting with a letter or digit (so never `.`, `..` or a path).
    public static func isValid(_ id: String) -> Bool {
        guard (1...64).contains(id.utf8.count), let first = id.utf8.first, isAlnum(first) else { return false }
        return id.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
}
