import CopyPTRecords

/// What `copypt doctor` checks: a transfer record's locations and options, or the same given
/// on the command line.
public struct DoctorInput: Sendable, Hashable {
    /// The Globus side of a record.
    public struct GlobusTask: Sendable, Hashable {
        /// The Globus task id.
        public var taskID: String
        /// The record's `--globus-path`: where the task's files must land.
        public var globusPath: String

        /// A task to check.
        public init(taskID: String, globusPath: String) {
            self.taskID = taskID
            self.globusPath = globusPath
        }
    }

    /// The staging prefix.
    public var staging: S3Prefix
    /// The destination prefix.
    public var destination: S3Prefix
    /// The copy options (ACL, SSE, owners, profile, …).
    public var options: CopyOptions
    /// The principal ARN policies must name, overriding STS; default `nil`.
    public var principalARN: String?
    /// Whether to write (and delete) a probe object in the destination; default `false`.
    public var writeProbe: Bool
    /// The Globus task to check; default `nil` (no record: Globus checks are skipped).
    public var globus: GlobusTask?

    /// An input; every default as documented on each property.
    public init(
        staging: S3Prefix, destination: S3Prefix, options: CopyOptions = CopyOptions(), principalARN: String? = nil,
        writeProbe: Bool = false, globus: GlobusTask? = nil
    ) {
        self.staging = staging
        self.destination = destination
        self.options = options
        self.principalARN = principalARN
        self.writeProbe = writeProbe
        self.globus = globus
    }
}
