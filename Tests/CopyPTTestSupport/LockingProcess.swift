import Foundation

/// A python3 child that takes the `flock` on a lock file, writes copypt's owner line
/// ("<its pid> <since>") into it as copypt does, and holds it until its stdin closes.
public struct LockingProcess: Sendable {
    /// The child; `finish()` releases the lock.
    public let child: ChildProcess
    /// The child's pid, as written into the lock file.
    public let pid: Int32

    static let script = """
        import fcntl, os, sys
        f = open(sys.argv[1], "a+")
        fcntl.flock(f, fcntl.LOCK_EX)
        f.truncate(0)
        f.write("%d %s\\n" % (os.getpid(), sys.argv[3]))
        f.flush()
        with open(sys.argv[2] + ".tmp", "w") as ready:
            ready.write(str(os.getpid()))
        os.rename(sys.argv[2] + ".tmp", sys.argv[2])
        sys.stdin.read()
        """

    /// Starts the holder of `lockPath`, stamped `since` (RFC 3339), and waits until it holds it.
    public static func hold(_ lockPath: String, since: String) async throws -> LockingProcess {
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-locked-\(UUID().uuidString)").path
        let child = try ChildProcess("python3", ["-c", script, lockPath, ready, since])
        guard await ChildProcess.waitUntil({ FileManager.default.fileExists(atPath: ready) }),
              let text = try? String(contentsOfFile: ready, encoding: .utf8), let pid = Int32(text)
        else {
            _ = await child.finish()
            throw ServerProcess.StartError(description: "python3 did not take the lock on \(lockPath)")
        }
        try? FileManager.default.removeItem(atPath: ready)
        return LockingProcess(child: child, pid: pid)
    }
}
