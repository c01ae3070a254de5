import CopyPTS3

/// The `--json` summary of `copypt copy`: one object, snake_case keys as in the records.
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

        enum CodingKeys: String, CodingKey {
            case source, destination, size
            case eTag = "etag"
        }
    }

    var schemaVersion = JSONOutput.schemaVersion
    var source: String
    var destination: String
    var dryRun: Bool
    var objects: Int
    var bytes: Int64
    var verified: Int
    /// Objects left out by `--skip-existing`: already at the destination, same size and ETag.
    var skippedExisting: Int
    var failed: [Failure]
    /// Source keys left out of a recursive copy because their copy could land outside the
    /// destination prefix (a `.` or `..` segment below the source prefix).
    var skipped: [String]
    /// How wide the copy ran; absent when it did not run (dry run, interrupted before the end).
    var concurrency: Concurrency?
    var requests: Int
    var seconds: Double
    var exitStatus: Int32
    var planned: [Planned]?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case source, destination
        case dryRun = "dry_run"
        case objects, bytes, verified
        case skippedExisting = "skipped_existing"
        case skipped, failed, concurrency, requests, seconds
        case exitStatus = "exit_status"
        case planned
    }
}
