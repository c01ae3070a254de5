import CopyPTCLI
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// The state directory as every command meets it: refused when others could tamper with it,
/// file-system trouble mapped to the right exit status, records held elsewhere shown as busy.
@Suite struct StateDirectoryTests {
    @Test("a group- or world-writable state dir is refused by every command: exit 2, one line with the chmod, nothing changed",
          arguments: [0o775 as mode_t, 0o777])
    func writableRefused(mode: mode_t) async throws {
        try await TemporaryDirectory.with { root in
            let state = root.appendingPathComponent("state")
            let id = try await CLI.add(state: state)
            #expect(chmod(state.path, mode) == 0)
            let before = try Data(contentsOf: RecordStore(root: state).recordURL(for: id))
            for arguments in [["status"], ["sweep", "--once"], ["cancel", id], ["add", "--no-check", "--task", CLI.taskID, "--from", "s3://other-staging/b/", "--to", "s3://other-dest/d/"]] {
                let result = await CLI.run(arguments + ["--state-dir", state.path])
                #expect(result.status == 2 && result.isOneLineError, "\(arguments): \(result)")
                #expect(result.stderr.contains("refusing state directory \(state.path)") && result.stderr.contains("run `chmod go-w \(state.path)`"), "\(result.stderr)")
                #expect(result.stdout.isEmpty)
            }
            #expect(try Data(contentsOf: RecordStore(root: state).recordURL(for: id)) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: RecordStore(root: state).transfersDirectory.path).count == 2)
        }
    }

    @Test("status shows a record another process holds as 'busy since T (pid N)' in STATE")
    func statusBusySince() async throws {
        try await TemporaryDirectory.with { root in
            let free = try await CLI.add(state: root)
            let held = try await CLI.add(state: root, task: "7c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
            let store = RecordStore(root: root)
            _ = try store.withLock(held) { $0.state = .copying }
            let holder = try await LockingProcess.hold(store.lockURL(for: held).path, since: "2026-11-25T07:00:00Z")
            let result = await CLI.run(["status", "--state-dir", root.path])
            _ = await holder.child.finish()
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let heldLine = try #require(lines.first { $0.hasPrefix(held) })
            #expect(heldLine.contains("copying, busy since 2026-11-25T07:00:00Z (pid \(holder.pid))"), "\(heldLine)")
            #expect(lines.first { $0.hasPrefix(free) }?.contains("busy") == false)
            let after = await CLI.run(["status", "--state-dir", root.path])
            #expect(!after.stdout.contains("busy since"), "\(after)")
        }
    }

    @Test("cancel of a record another process holds says who holds it since when: exit 75, one line, nothing changed")
    func cancelBusySince() async throws {
        try await TemporaryDirectory.with { root in
            let id = try await CLI.add(state: root)
            let store = RecordStore(root: root)
            let holder = try await LockingProcess.hold(store.lockURL(for: id).path, since: "2026-11-25T07:00:00Z")
            let result = await CLI.run(["cancel", id, "--state-dir", root.path])
            _ = await holder.child.finish()
            #expect(result.status == 75 && result.isOneLineError, "\(result)")
            #expect(result.stderr == "copypt cancel: transfer \(id) is busy since 2026-11-25T07:00:00Z (pid \(holder.pid)) "
                + "in another copypt process; try again once it is done\n")
            #expect(try store.load(id).state == .waiting)
        }
    }

    @Test("sweep warns on stderr about a record held longer than --busy-warn-after, naming the holder; not with -q")
    func sweepBusyWarning() async throws {
        try await TemporaryDirectory.with { root in
            let held = try await CLI.add(state: root)
            let store = RecordStore(root: root)
            _ = try store.withLock(held) { $0.state = .copying }
            let holder = try await LockingProcess.hold(store.lockURL(for: held).path, since: "2026-11-25T07:00:00Z")
            let warned = await CLI.run(["sweep", "--once", "--busy-warn-after", "1h", "--state-dir", root.path])
            let quiet = await CLI.run(["sweep", "--once", "--busy-warn-after", "1h", "-q", "--state-dir", root.path])
            let early = await CLI.run(["sweep", "--once", "--busy-warn-after", "3h", "--state-dir", root.path])
            _ = await holder.child.finish()
            #expect(warned.status == 0 && warned.stdout.isEmpty && warned.isOneLineError, "\(warned)")
            #expect(warned.stderr == "copypt sweep: warning: \(held): busy since 2026-11-25T07:00:00Z (pid \(holder.pid)), over 1h; "
                + "if process \(holder.pid) is stuck, stop it and the next sweep resumes the copy\n")
            #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
            #expect(early.status == 0 && early.stderr.isEmpty, "\(early)")
            let zero = await CLI.run(["sweep", "--once", "--busy-warn-after", "0s", "--state-dir", root.path])
            #expect(zero.status == 2 && zero.isOneLineError && zero.stderr.contains("--busy-warn-after"), "\(zero)")
        }
    }

    @Test("a state dir the built copypt-sweep may not write is exit 2 naming the lock file, not 75; status still reads it")
    func unwritableStateDirectory() async throws {
        try await TemporaryDirectory.with { root in
            let state = root.appendingPathComponent("state")
            let id = try await CLI.add(state: state)
            let store = RecordStore(root: state)
            _ = try store.withLock(id) { $0.state = .copying }
            try FileManager.default.removeItem(at: store.lockURL(for: id))
            // Root ignores permission bits: as root, hand the directory to uid 65534 and run the
            // executable as that user (setpriv); otherwise take the write bit away from ourselves.
            let asRoot = geteuid() == 0
            var prefix: [String] = []
            if asRoot {
                for path in [root.path, state.path, store.transfersDirectory.path, store.recordURL(for: id).path] {
                    #expect(chown(path, 65534, 65534) == 0)
                }
                prefix = ["--reuid=65534", "--regid=65534", "--clear-groups"]
            }
            #expect(chmod(store.transfersDirectory.path, 0o500) == 0)
            defer { chmod(store.transfersDirectory.path, 0o700) }
            let before = try Data(contentsOf: store.recordURL(for: id))
            func run(_ name: String, _ arguments: [String]) async throws -> ChildProcess.Result {
                let executable = try CLI.executable(name)
                return asRoot
                    ? try await ChildProcess.run("setpriv", prefix + [executable] + arguments)
                    : try await ChildProcess.run(executable, arguments)
            }
            let sweep = try await run("copypt-sweep", ["--once", "--state-dir", state.path])
            #expect(sweep.status == 2, "\(sweep)")
            #expect(sweep.stderr.contains(store.lockURL(for: id).path) && sweep.stderr.contains("Permission denied")
                && sweep.stderr.contains("fix the permissions"), "\(sweep)")
            let status = try await run("copypt", ["status", "--state-dir", state.path])
            #expect(status.status == 0 && status.stdout.contains(id), "\(status)")
            #expect(try Data(contentsOf: store.recordURL(for: id)) == before)
        }
    }

    @Test("record errors end commands with the right status: a full disk 75, no flock or a read-only file system 2",
          arguments: [
              (RecordError.io(operation: "write", path: "/s/t/.a.tmp", errno: ENOSPC), CopyPTCLI.ExitStatus.temporaryFailure),
              (RecordError.io(operation: "create temporary file", path: "/s/t/.a.tmp", errno: EROFS), .usage),
              (RecordError.lockFailed(path: "/s/t/a.lock", errno: ENOLCK), .usage),
              (RecordError.lockFailed(path: "/s/t/a.lock", errno: ENOSYS), .usage),
              (RecordError.unsafeDirectory(path: "/s", mode: 0o40777, owner: 0, user: 0), .usage),
          ])
    func exitStatuses(error: RecordError, status: CopyPTCLI.ExitStatus) {
        #expect(CLIError.record(error).exitStatus == status)
    }
}
