import Foundation

/// Sizes written on the command line: `1048576`, `64MiB`, `5GiB`, `512K`.
///
/// Units are binary whatever their spelling (`K`, `KB`, `KiB` = 1024), as the AWS CLI
/// reads `multipart_threshold = 64MB`. A bare number is bytes.
enum CopyByteSize {
    /// The number of bytes, or `nil` when `text` is not a size.
    static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let shift: Int64
        switch unit {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        case "t", "tb", "tib": shift = 40
        default: return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }
}
