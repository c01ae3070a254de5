import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RecordStore {
    /// Refuses a state directory others could tamper with, as ssh refuses such a `~/.ssh`:
    /// `<root>` and `<root>/transfers`, where they exist, must not be writable by group or
    /// others, and must belong to `user` or to root. Running as root, that means root's own
    /// (a directory of another user is refused: root would act on records that user planted).
    /// Missing directories pass (`prepare()` makes them 0700). Symbolic links to the state
    /// directory are followed, and the directory they point to is checked.
    /// - Parameter user: the effective uid copypt runs as (default: the process's).
    /// - Throws: `RecordError.unsafeDirectory` saying the chmod or chown to run, or
    ///   `RecordError.io` when a directory cannot be examined.
    public func checkPrivate(user: UInt32 = UInt32(geteuid())) throws {
        for path in [root.path, transfersDirectory.path] {
            var info = stat()
            guard stat(path, &info) == 0 else {
                if errno == ENOENT { return }
                throw RecordError.io(operation: "examine", path: path, errno: errno)
            }
            let mode = UInt32(info.st_mode)
            let owner = UInt32(info.st_uid)
            if (owner != user && owner != 0) || mode & 0o022 != 0 {
                throw RecordError.unsafeDirectory(path: path, mode: mode, owner: owner, user: user)
            }
        }
    }
}
