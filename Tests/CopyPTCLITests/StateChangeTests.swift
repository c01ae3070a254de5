import CopyPTCLI
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct StateChangeTests {
    @Test("cancel: waiting → cancelled, again is a no-op, a done transfer cannot be cancelled")
    func cancel() async throws {
        try await TemporaryDirectory.with { root in
            let id = try await CLI.add(state: root)
            let later = CLI.now.addingTimeInterval(60)
            let result = await CLI.run(["cancel", id, "--state-dir", root.path], at: later)
            #expect(result.status == 0 && result.stdout == "\(id): waiting → cancelled\n", "\(result)")
            let record = try RecordStore(root: root).load(id)
            #expect(record.state == .cancelled && record.updatedAt == later)
            let again = await CLI.run(["cancel", id, "--state-dir", root.path])
            #expect(again.status == 0 && again.stdout == "\(id): already cancelled\n")

            let done = try await CLI.add(state: root, task: "7c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
            _ = try RecordStore(root: root).withLock(done) { $0.state = .done }
            let refused = await CLI.run(["cancel", done, "--state-dir", root.path])
            #expect(refused.status == 2 && refused.isOneLineError && refused.stderr.contains("done"), "\(refused)")
        }
    }

    @Test("retry: failed → waiting before a copy began, → copying after, keeping progress and clearing the error")
    func retry() async throws {
        try await TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            let early = try await CLI.add(state: root)
            let late = try await CLI.add(state: root, task: "7c9a4e2e-1b7f-11ef-9e4d-0242ac120002")
            let error = RecordedError(code: "AccessDenied", message: "no s3:PutObject on lab-archive", at: CLI.now)
            _ = try store.withLock(early) { $0.state = .failed; $0.lastError = error; $0.attempts = 3 }
            _ = try store.withLock(late) {
                $0.state = .failed
                $0.lastError = error
                $0.progress = TransferProgress(objectsTotal: 10, objectsDone: 4, bytesTotal: 100, bytesDone: 40)
            }
            let first = await CLI.run(["retry", early, "--state-dir", root.path])
            #expect(first.status == 0 && first.stdout == "\(early): failed → waiting\n", "\(first)")
            let second = await CLI.run(["retry", late, "--json", "--state-dir", root.path])
            #expect(second.status == 0, "\(second)")
            let record = try RecordCoding.decode(Data(second.stdout.utf8), path: "stdout")
            #expect(record.state == .copying && record.progress.objectsDone == 4 && record.lastError == nil)
            #expect(try store.load(early).attempts == 0)

            let refused = await CLI.run(["retry", early, "--state-dir", root.path])
            #expect(refused.status == 2 && refused.isOneLineError && refused.stderr.contains("only failed or cancelled"), "\(refused)")
        }
    }

    @Test("cancel and retry of unknown or malformed ids exit 2 with one line", arguments: ["20261125-ffffff", "../../etc/passwd", ""])
    func unknown(id: String) async throws {
        try await TemporaryDirectory.with { root in
            for command in ["cancel", "retry"] {
                let result = await CLI.run([command, id, "--state-dir", root.path])
                #expect(result.status == 2 && result.isOneLineError && result.stdout.isEmpty, "\(result)")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path)
            #expect(leftovers.isEmpty)
        }
    }

    @Test("a transfer locked by another process: cancel exits 75 at once and changes nothing")
    func busy() async throws {
        try await TemporaryDirectory.with { root in
            let id = try await CLI.add(state: root)
            let store = RecordStore(root: root)
            let ready = root.appendingPathComponent("locked").path
            let holder = try ChildProcess("python3", ["-c", LockHolder.script, store.lockURL(for: id).path, ready])
            try #require(await ChildProcess.waitUntil { FileManager.default.fileExists(atPath: ready) })
            let result = await CLI.run(["cancel", id, "--state-dir", root.path])
            _ = await holder.finish()
            #expect(result.status == 75 && result.isOneLineError && result.stderr.contains("another copypt process"), "\(result)")
            #expect(try store.load(id).state == .waiting)
        }
    }
}

/// A python3 child holding a record's flock until its stdin closes.
enum LockHolder {
    static let script = """
        import fcntl, sys
        f = open(sys.argv[1], "a")
        fcntl.flock(f, fcntl.LOCK_EX)
        open(sys.argv[2], "w").close()
        sys.stdin.read()
        """
}
