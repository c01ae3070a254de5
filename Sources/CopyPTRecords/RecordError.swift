import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What can go wrong reading, writing or locking transfer records.
public enum RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file-system call failed: `operation` is e.g. `create directory`, `open`, `fsync`, `rename`.
    case io(operation: String, path: String, errno: Int32)
    /// Taking or releasing a record lock failed (not "held by someone else", which is `.busy`).
    case lockFailed(path: String, errno: Int32)
    /// No record with this id exists.
    case notFound(id: String, path: String)
    /// A record with this id exists already (record ids are never reused).
    case alreadyExists(id: String, path: String)
    /// The id is not a valid record id (it would not make a safe file name).
    case invalidID(String)
    /// The file is not a readable record (not JSON, a field missing or of the wrong type).
    case corrupt(path: String, detail: String)
    /// The record says `"version": N` and this copypt only knows version 1.
    case unsupportedVersion(path: String, version: Int)
    /// The record could not be turned into JSON.
    case encodingFailed(id: String, detail: String)
    /// The state change is not allowed from the record's current state.
    case invalidTransition(id: String, state: TransferState, action: String)
    /// A counter in the record is negative or beyond what copypt counts to
    /// (`TransferRecord.counterLimit`); the record is skipped and left as it is.
    case outOfRange(path: String, field: String, value: String)
    /// The state directory (or `transfers/` in it) is writable by group or others, or owned by
    /// someone other than the user running copypt or root: refused, as ssh refuses such a `~/.ssh`.
    case unsafeDirectory(path: String, mode: UInt32, owner: UInt32, user: UInt32)

    /// One line: operation, file, cause, and what to do next.
    public var description: String {
        switch self {
        case let .io(operation, path, errno):
            return "cannot \(operation) \(path): \(RecordError.reason(errno)) (errno \(errno)); \(RecordError.hint(errno))"
        case let .lockFailed(path, errno) where RecordError.lockingUnsupported(errno):
            return "cannot lock \(path): \(RecordError.reason(errno)) (errno \(errno)); the file system holding the state "
                + "directory has no working flock(2): on NFS mount it with lockd running (not -o nolock; local_lock=flock "
                + "only if one host uses it), on Lustre mount it with -o flock, or give a local --state-dir"
        case let .lockFailed(path, errno):
            return "cannot lock \(path): \(RecordError.reason(errno)) (errno \(errno)); \(RecordError.hint(errno))"
        case let .notFound(id, path):
            return "no transfer \(id) (no file \(path)); `copypt status` lists the transfers"
        case let .alreadyExists(id, path):
            return "transfer \(id) exists already (\(path)); record ids are never reused"
        case let .invalidID(id):
            return "'\(id)' is not a transfer id (ids look like 20261125-3f9a2c); `copypt status` lists them"
        case let .corrupt(path, detail):
            return "unreadable transfer record \(path): \(detail); fix or move the file away, other transfers go on"
        case let .unsupportedVersion(path, version):
            return "transfer record \(path) has schema version \(version), this copypt reads version \(TransferRecord.currentVersion); use a newer copypt or move the file away"
        case let .encodingFailed(id, detail):
            return "cannot encode transfer record \(id): \(detail)"
        case let .invalidTransition(id, state, action):
            let hint: String
            switch (action, state) {
            case ("cancel", .done): hint = "; it finished, there is nothing left to cancel"
            case ("retry", _): hint = "; only failed or cancelled transfers can be retried"
            default: hint = ""
            }
            return "cannot \(action) transfer \(id): it is \(state)\(hint)"
        case let .outOfRange(path, field, value):
            return "transfer record \(path): field \(field) out of range (\(value); copypt counts from 0 to "
                + "\(TransferRecord.counterLimit)); fix or move the file away, other transfers go on"
        case let .unsafeDirectory(path, mode, owner, user):
            if owner != user && owner != 0 {
                return "refusing state directory \(path): it belongs to uid \(owner), not to uid \(user) running copypt "
                    + "(nor root); run copypt as its owner, `chown \(user) \(path)`, or give your own --state-dir"
            }
            let octal = String(mode & 0o7777, radix: 8)
            return "refusing state directory \(path): it is writable by group or others (mode \(octal)), so others "
                + "could plant or replace records; run `chmod go-w \(path)`"
        }
    }

    /// `true` for trouble that may pass by itself (a full disk, an I/O error): the next run
    /// retries. Everything else (permissions, a read-only file system, a symbolic link, no
    /// working `flock`) needs a person, and is a configuration error.
    public var isTransient: Bool {
        switch self {
        case let .io(_, _, code), let .lockFailed(_, code): return RecordError.isTransient(errno: code)
        default: return false
        }
    }

    /// `true` for errno values that may pass by themselves: no space or quota, I/O errors,
    /// interrupted or exhausted resources, an NFS handle gone stale.
    public static func isTransient(errno code: Int32) -> Bool {
        [ENOSPC, EDQUOT, EIO, EINTR, EAGAIN, ENOMEM, ENFILE, EMFILE, ETIMEDOUT, ESTALE].contains(code)
    }

    /// `flock(2)` errno values meaning the file system cannot lock at all (NFS without lockd,
    /// Lustre without `-o flock`, some FUSE file systems).
    static func lockingUnsupported(_ code: Int32) -> Bool {
        code == ENOLCK || code == ENOSYS || code == EOPNOTSUPP || code == ENOTSUP
    }

    /// What to do next about a failed file-system call, by its errno.
    public static func hint(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT:
            return "the file system is full or over quota; free space there, the next run retries"
        case EROFS:
            return "the file system is read-only; mount it read-write or give a writable --state-dir"
        case EACCES, EPERM:
            return "copypt may not write there; fix the permissions or run copypt as the directory's owner"
        case ELOOP:
            return "it is a symbolic link, which copypt never follows inside the state directory; remove the link"
        default:
            return "check the path and its permissions"
        }
    }

    /// `strerror` text for an errno value.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A thrown error's description folded onto one line (DecodingError names the key path).
    static func oneLine(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            return RecordedError.oneLine(describe(decoding))
        }
        return RecordedError.oneLine(String(describing: error))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing \"\(key.stringValue)\"\(parent)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "bad value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
