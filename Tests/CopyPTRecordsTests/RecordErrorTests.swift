import CopyPTRecords
import Foundation
import Testing

@Suite struct RecordErrorTests {
    @Test("a full disk or an I/O error is transient; permissions, a read-only file system, a link or no flock are not",
          arguments: [
              (ENOSPC, true), (EDQUOT, true), (EIO, true),
              (EACCES, false), (EPERM, false), (EROFS, false), (ELOOP, false), (ENOTDIR, false),
          ])
    func transience(code: Int32, transient: Bool) {
        #expect(RecordError.io(operation: "open lock file", path: "/s/t/x.lock", errno: code).isTransient == transient)
        #expect(RecordError.isTransient(errno: code) == transient)
    }

    @Test("each failed file-system call names the path and says what to do next",
          arguments: [
              (ENOSPC, "full or over quota; free space there"),
              (EROFS, "read-only; mount it read-write or give a writable --state-dir"),
              (EACCES, "fix the permissions or run copypt as the directory's owner"),
              (ELOOP, "symbolic link, which copypt never follows"),
          ])
    func hints(code: Int32, hint: String) {
        let text = RecordError.io(operation: "create temporary file", path: "/srv/state/transfers/.x.tmp", errno: code).description
        #expect(text.hasPrefix("cannot create temporary file /srv/state/transfers/.x.tmp: "))
        #expect(text.contains("(errno \(code)); ") && text.contains(hint), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test("flock failing with ENOLCK or ENOSYS says the file system needs working flock (NFS, Lustre); not transient",
          arguments: [ENOLCK, ENOSYS, EOPNOTSUPP])
    func noFlock(code: Int32) {
        let error = RecordError.lockFailed(path: "/nfs/state/transfers/a.lock", errno: code)
        #expect(!error.isTransient)
        let text = error.description
        #expect(text.hasPrefix("cannot lock /nfs/state/transfers/a.lock: "))
        #expect(text.contains("no working flock(2)") && text.contains("NFS") && text.contains("Lustre") && text.contains("-o flock"))
    }

    @Test("an unsafe state directory says the chmod or chown to run")
    func unsafeDirectory() {
        let writable = RecordError.unsafeDirectory(path: "/srv/state", mode: 0o40777, owner: 0, user: 0).description
        #expect(writable == "refusing state directory /srv/state: it is writable by group or others (mode 777), so others "
            + "could plant or replace records; run `chmod go-w /srv/state`")
        let foreign = RecordError.unsafeDirectory(path: "/srv/state", mode: 0o40700, owner: 1001, user: 1000).description
        #expect(foreign.contains("belongs to uid 1001, not to uid 1000") && foreign.contains("`chown 1000 /srv/state`"))
    }
}
