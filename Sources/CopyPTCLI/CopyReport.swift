import CopyPTS3

/// The `--json` summary of `copypt copy`.
struct CopyReport: Encodable, Sendable {
    /// One failed object.
    struct Failure: Encodable, Sendable {
        var source: String
        var destination: String
        var error: String
        var retryable: Bool
    }

    /// One planned object (with `--dry-run`).
    struct Planned: Encodable, Sendable {
        var source: String
        var destination: String
        var size: Int64
        var eTag: String
    }

    var source: String
    var destination: String
    var dryRun: Bool
    var objects: Int
    var bytes: Int64
    var verified: Int
    var failed: [Failure]
    /// Source keys left out of a recursive copy because their copy could land outside the
    /// destination prefix (a `.` or `..` segment below the source prefix).
    var skipped: [String]
    var requests: Int
    var seconds: Double
    var exitStatus: Int32
    var planned: [Planned]?
}
