import CopyPTRecords
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a sweep could not do something, for one transfer or for the whole run.
///
/// ``kind`` decides what happens next: a transient error leaves the transfer in its state for
/// the next sweep, a permanent one fails the transfer with the description as its reason, and a
/// configuration error stops the run without touching the transfer.
public enum SweepError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of trouble an error is.
    public enum Kind: String, Sendable, Hashable {
        /// Network, 5xx, throttling: the next sweep retries by itself.
        case transient
        /// A person must fix something (permissions, a bucket, a changed source); `copypt retry`.
        case permanent
        /// The run cannot start (credentials, login, settings); nothing about a transfer is wrong.
        case configuration
    }

    /// S3 or Globus failed: `code` is the service's (`AccessDenied`, `NetworkError`, …),
    /// `message` one line naming the operation and saying what to do.
    case remote(code: String, message: String, kind: Kind)
    /// Globus reports the task FAILED.
    case globusTaskFailed(taskID: String, reason: String)
    /// Globus does not know the task (or does not show it to this identity).
    case globusTaskNotFound(taskID: String)
    /// `--give-up-after` elapsed while the task was still ACTIVE or INACTIVE.
    case gaveUp(taskID: String, status: String, after: String)
    /// Files Globus delivered are not in the staging prefix.
    case missingFromStaging(staging: String, count: Int, examples: [String])
    /// The journal beside the record could not be read or written.
    case journal(path: String, operation: String, errno: Int32)

    /// What happens next (see ``Kind``).
    public var kind: Kind {
        switch self {
        case .remote(_, _, let kind): return kind
        case .journal(_, _, let code): return RecordError.isTransient(errno: code) ? .transient : .configuration
        case .globusTaskFailed, .globusTaskNotFound, .gaveUp, .missingFromStaging: return .permanent
        }
    }

    /// A short machine-readable code for the record's `last_error.code`.
    public var code: String {
        switch self {
        case .remote(let code, _, _): return code
        case .globusTaskFailed: return "GlobusTaskFailed"
        case .globusTaskNotFound: return "TaskNotFound"
        case .gaveUp: return "GaveUp"
        case .missingFromStaging: return "MissingFromStaging"
        case .journal: return "JournalError"
        }
    }

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case .remote(_, let message, _):
            return message
        case .globusTaskFailed(let taskID, let reason):
            return "Globus task \(taskID) failed: \(reason); resubmit the transfer in Globus and `copypt add` the new task"
        case .globusTaskNotFound(let taskID):
            return "Globus task \(taskID) not found: it was submitted by another Globus identity or never existed; "
                + "check the task id, or sweep as the identity that submitted it"
        case .gaveUp(let taskID, let status, let after):
            return "gave up on Globus task \(taskID) after \(after), still \(status); "
                + "check the task in the Globus web app, then `copypt retry` to wait again"
        case .missingFromStaging(let staging, let count, let examples):
            let list = examples.joined(separator: ", ")
            return "\(count) file(s) Globus delivered are missing from \(staging) (e.g. \(list)); "
                + "check that nothing deleted them and that the record's --from and --globus-path match the task, then `copypt retry`"
        case .journal(let path, let operation, let errno):
            return "cannot \(operation) journal \(path): \(String(cString: strerror(errno))) (errno \(errno)); "
                + RecordError.hint(errno)
        }
    }
}
