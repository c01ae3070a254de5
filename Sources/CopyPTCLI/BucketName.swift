/// The naming rules for S3 general purpose buckets (Amazon S3 User Guide, "General purpose
/// bucket naming rules", docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
enum BucketName {
    static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    /// What is wrong with `name` as a bucket name, or `nil` when it is fine.
    static func problem(_ name: String) -> String? {
        let rules = "bucket names are 3–63 lower-case letters, digits, dots and hyphens"
        guard (3...63).contains(name.count) else {
            return "the bucket name '\(name)' is \(name.count) characters long; \(rules)"
        }
        if let bad = name.first(where: { !(("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-") }) {
            let hint = bad.isUppercase ? " (upper case is not allowed)" : ""
            return "the bucket name '\(name)' contains '\(bad)'\(hint); \(rules)"
        }
        guard let first = name.first, let last = name.last, first.isLetter || first.isNumber, last.isLetter || last.isNumber else {
            return "the bucket name '\(name)' must begin and end with a letter or digit"
        }
        if name.contains("..") {
            return "the bucket name '\(name)' has two dots in a row, which S3 does not allow"
        }
        if looksLikeIPv4(name) {
            return "the bucket name '\(name)' is formatted as an IP address, which S3 does not allow"
        }
        if let prefix = reservedPrefixes.first(where: { name.hasPrefix($0) }) {
            return "the bucket name '\(name)' starts with '\(prefix)', a prefix S3 reserves"
        }
        if let suffix = reservedSuffixes.first(where: { name.hasSuffix($0) }) {
            return "the bucket name '\(name)' ends with '\(suffix)', a suffix S3 reserves for access point and other aliases"
        }
        return nil
    }

    private static func looksLikeIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }
}
