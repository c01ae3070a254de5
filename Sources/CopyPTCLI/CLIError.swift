import CopyPTRecords
import Foundation

/// Errors the commands report, each with its exit status.
public enum CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `--state-dir`, `COPYPT_STATE_DIR`, `XDG_STATE_HOME` or `HOME` to place the state in.
    case noStateDirectory
    /// `status ID…` named transfers that do not exist.
    case unknownTransfers([String], directory: String)
    /// An id suffix matched several transfers.
    case ambiguousTransfer(String, matches: [String])
    /// `add` found the same task, source and destination queued with different options.
    case conflictingTransfer(existingID: String, task: String)
    /// Another copypt process holds the record's lock right now (`owner`: who, since when, when
    /// it wrote its owner line).
    case busy(id: String, owner: LockOwner? = nil)
    /// A record could not be read, written or changed.
    case record(RecordError)

    /// The exit status this error ends the command with.
    public var exitStatus: ExitStatus {
        switch self {
        case .busy: return .temporaryFailure
        case let .record(error) where error.isTransient:
            return .temporaryFailure
        case .noStateDirectory, .unknownTransfers, .ambiguousTransfer, .conflictingTransfer, .record: return .usage
        }
    }

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .noStateDirectory:
            return "cannot tell where to keep transfer records: HOME is not set; pass --state-dir DIR or set COPYPT_STATE_DIR"
        case let .unknownTransfers(ids, directory):
            let list = ids.map { "'\($0)'" }.joined(separator: ", ")
            return "no transfer \(list) in \(directory); `copypt status` lists the transfers"
        case let .ambiguousTransfer(text, matches):
            return "'\(text)' matches \(matches.count) transfers (\(matches.joined(separator: ", "))); give more of the id"
        case let .conflictingTransfer(existingID, task):
            return "transfer \(existingID) already copies task \(task) between these locations with other options; `copypt cancel \(existingID)` first to queue it anew"
        case let .busy(id, owner?):
            return "transfer \(id) is \(owner) in another copypt process; try again once it is done"
        case let .busy(id, nil):
            return "transfer \(id) is being worked on by another copypt process (its lock is held); try again in a moment"
        case let .record(error):
            return error.description
        }
    }
}
