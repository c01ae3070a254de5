import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct FileLockTests {
    @Test("a record locked by another process is reported busy, and free once that process exits")
    func otherProcessHoldsLock() async throws {
        try await TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting())
            let id = SampleRecords.waiting().id
            let ready = root.appendingPathComponent("locked").path
            let holder = try ChildProcess("python3", ["-c", Self.holderScript, store.lockURL(for: id).path, ready])
            try #require(await ChildProcess.waitUntil { FileManager.default.fileExists(atPath: ready) }, "python3 did not take the lock")

            let started = Date()
            let outcome = try store.withLock(id) { record in
                record.state = .failed
            }
            #expect(outcome.isBusy)
            #expect(Date().timeIntervalSince(started) < 1, "busy must be reported at once, not waited on")
            #expect(try store.load(id).state == .waiting)

            #expect(await holder.finish().status == 0)
            let after = try store.withLock(id) { record in record.state = .failed }
            #expect(!after.isBusy)
            #expect(try store.load(id).state == .failed)
        }
    }

    @Test("another process cannot take a lock this process holds")
    func thisProcessHoldsLock() async throws {
        try await TemporaryDirectory.with { root in
            let lock = FileLock(path: root.appendingPathComponent("x.lock").path)
            let inside = try await lock.withLock {
                try await ChildProcess.run("python3", ["-c", Self.probeScript, lock.path]).stdout
            }
            #expect(inside.value == "busy\n")
            let outside = try await ChildProcess.run("python3", ["-c", Self.probeScript, lock.path]).stdout
            #expect(outside == "acquired\n")
        }
    }

    @Test("two contenders in one process: the second is busy while the first holds the lock")
    func nestedContender() throws {
        try TemporaryDirectory.with { root in
            let lock = FileLock(path: root.appendingPathComponent("x.lock").path)
            let inner = try lock.withLock { try FileLock(path: lock.path).withLock { 1 } }
            #expect(inner == .acquired(.busy))
            // Blocking: a child another test spawns at this instant holds a copy of the released
            // descriptor until it execs (O_CLOEXEC acts only then), keeping the lock a moment longer.
            let outer = try lock.withLock(blocking: true) { 2 }
            #expect(outer == .acquired(2))
        }
    }

    @Test("many concurrent tasks never hold one record at the same time")
    func concurrentTasks() async throws {
        try await TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting())
            let id = SampleRecords.waiting().id
            let gauge = Gauge()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        for _ in 0..<40 {
                            let outcome = try store.withLock(id) { record in
                                gauge.enter()
                                usleep(200)
                                record.attempts += 1
                                gauge.leave()
                            }
                            gauge.count(busy: outcome.isBusy)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (maxInside, acquired, busy) = gauge.figures
            #expect(maxInside == 1)
            #expect(acquired + busy == 320)
            #expect(try store.load(id).attempts == acquired, "every acquired body's change was saved")
        }
    }

    @Test("the lock is released when the body throws")
    func releasedOnThrow() throws {
        struct Stop: Error {}
        try TemporaryDirectory.with { root in
            let lock = FileLock(path: root.appendingPathComponent("x.lock").path)
            #expect(throws: Stop.self) { try lock.withLock { throw Stop() } }
            let again = try lock.withLock { 3 }
            #expect(again == .acquired(3))
        }
    }

    @Test("a lock file that cannot be created is an error naming the path and errno")
    func unopenableLockFile() {
        let lock = FileLock(path: "/nonexistent-dir-\(UUID().uuidString)/x.lock")
        #expect(throws: RecordError.io(operation: "open lock file", path: lock.path, errno: ENOENT)) {
            try lock.withLock {}
        }
    }

    @Test("while held, the lock file names the holder's pid and start; released, it is empty and no owner is reported")
    func ownerLine() throws {
        try TemporaryDirectory.with { root in
            let start = Date(timeIntervalSince1970: 1_795_599_667)
            let lock = FileLock(path: root.appendingPathComponent("x.lock").path, now: { start })
            let inside = try lock.withLock { try String(contentsOfFile: lock.path, encoding: .utf8) }
            #expect(inside.value == "\(getpid()) 2026-11-25T09:41:07Z\n")
            #expect(FileLock.owner(ofLockAt: lock.path) == nil)
            #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "")
            // In this process, a second open contends like another process would.
            let seen = try lock.withLock { FileLock.owner(ofLockAt: lock.path) }
            #expect(seen.value == LockOwner(pid: getpid(), since: start))
        }
    }

    @Test("another process's hold is reported with its pid and start; a line left by a holder that died is not")
    func ownerOfOtherProcess() async throws {
        try await TemporaryDirectory.with { root in
            let path = root.appendingPathComponent("x.lock").path
            let holder = try await LockingProcess.hold(path, since: "2026-12-05T18:00:00Z")
            let owner = try #require(FileLock.owner(ofLockAt: path))
            #expect(owner.pid == holder.pid)
            #expect(owner.description == "busy since 2026-12-05T18:00:00Z (pid \(holder.pid))")
            #expect(await holder.child.finish().status == 0)
            // The python holder exits without emptying the file, as a killed copypt would.
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "\(holder.pid) 2026-12-05T18:00:00Z\n")
            #expect(FileLock.owner(ofLockAt: path) == nil)
        }
    }

    /// Takes the lock, says so by creating a file, holds it until stdin closes.
    static let holderScript = """
        import fcntl, sys
        f = open(sys.argv[1], "a")
        fcntl.flock(f, fcntl.LOCK_EX)
        open(sys.argv[2], "w").close()
        sys.stdin.read()
        """

    /// Tries the lock without waiting; prints "acquired" or "busy".
    static let probeScript = """
        import fcntl, sys
        f = open(sys.argv[1], "a")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            print("acquired")
        except BlockingIOError:
            print("busy")
        """
}

/// Counts how many bodies run at once.
private final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = 0
    private var maxInside = 0
    private var acquired = 0
    private var busy = 0

    func enter() { lock.withLock { inside += 1; maxInside = max(maxInside, inside) } }
    func leave() { lock.withLock { inside -= 1 } }
    func count(busy isBusy: Bool) { lock.withLock { if isBusy { busy += 1 } else { acquired += 1 } } }
    var figures: (Int, Int, Int) { lock.withLock { (maxInside, acquired, busy) } }
}
