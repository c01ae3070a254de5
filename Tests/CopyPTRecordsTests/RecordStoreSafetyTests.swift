import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct RecordStoreSafetyTests {
    @Test("a state directory or transfers/ writable by group or others is refused with the chmod to run",
          arguments: [("", 0o775 as mode_t), ("", 0o757), ("transfers", 0o777), ("transfers", 0o1733)])
    func writableRefused(sub: String, mode: mode_t) throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root.appendingPathComponent("state"))
            try store.create(SampleRecords.waiting())
            try store.checkPrivate()
            let path = sub.isEmpty ? store.root.path : store.transfersDirectory.path
            #expect(chmod(path, mode) == 0)
            do {
                try store.checkPrivate()
                Issue.record("mode \(String(mode, radix: 8)) was accepted")
            } catch let error as RecordError {
                guard case let .unsafeDirectory(errorPath, _, _, _) = error else { throw error }
                #expect(errorPath == path)
                #expect(error.description.contains("run `chmod go-w \(path)`"))
            }
        }
    }

    @Test("a state directory owned by another user is refused; the user's own or root's pass; a missing one passes")
    func ownerChecked() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root.appendingPathComponent("state"))
            try store.checkPrivate()  // missing
            try store.prepare()
            let me = UInt32(geteuid())
            try store.checkPrivate(user: me)
            // Another user's directory: as root, hand it to uid 4242; otherwise check it as uid me+1
            // (a directory of ours is someone else's to them).
            let user: UInt32
            if me == 0 {
                #expect(chown(store.root.path, 4242, 4242) == 0)
                user = 0
            } else {
                user = me + 1
            }
            let owner = me == 0 ? UInt32(4242) : me
            #expect(throws: RecordError.unsafeDirectory(path: store.root.path, mode: 0o40700, owner: owner, user: user)) {
                try store.checkPrivate(user: user)
            }
            if me == 0 {
                #expect(chown(store.root.path, 0, 0) == 0)
                try store.checkPrivate(user: 1234)  // root-owned passes for any user, as ssh allows
            }
        }
    }

    @Test("a lock file planted as a symbolic link is refused (ELOOP), its target neither created nor written")
    func lockSymlinkRefused() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root.appendingPathComponent("state"))
            let record = SampleRecords.waiting()
            try store.create(record)
            let outside = root.appendingPathComponent("outside").path
            #expect(symlink(outside, store.lockURL(for: record.id).path) == 0)
            #expect(throws: RecordError.io(operation: "open lock file", path: store.lockURL(for: record.id).path, errno: ELOOP)) {
                _ = try store.withLock(record.id) { $0.state = .cancelled }
            }
            #expect(!FileManager.default.fileExists(atPath: outside))
            #expect(try store.load(record.id).state == .waiting)
        }
    }

    @Test("a record file that is a symbolic link is reported unreadable and not followed")
    func recordSymlinkRefused() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root.appendingPathComponent("state"))
            try store.prepare()
            let outside = root.appendingPathComponent("outside.json")
            try RecordCoding.encode(SampleRecords.waiting()).write(to: outside)
            let path = store.recordURL(for: SampleRecords.waiting().id).path
            #expect(symlink(outside.path, path) == 0)
            let listing = try store.loadAll()
            #expect(listing.records.isEmpty)
            #expect(listing.problems.map(\.error) == [.io(operation: "open", path: path, errno: ELOOP)])
        }
    }
}
