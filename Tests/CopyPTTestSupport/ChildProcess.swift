import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process a test starts: a python3 one-liner holding a lock, or one of our
/// executables. Output goes to temporary files (no pipe can fill up and stall the child).
public final class ChildProcess: @unchecked Sendable {
    /// What a finished child left behind.
    public struct Result: Sendable {
        /// Exit status (or 128 + signal number when killed by a signal).
        public var status: Int32
        /// Everything written to stdout.
        public var stdout: String
        /// Everything written to stderr.
        public var stderr: String
    }

    private let process = Process()
    private let stdinPipe = Pipe()
    private let outURL: URL
    private let errURL: URL

    /// Starts `executable` (a name on PATH or a path) with `arguments`; `environment`
    /// entries are added to (or, with `nil` values, removed from) this process's environment.
    public init(_ executable: String, _ arguments: [String], environment: [String: String?] = [:]) throws {
        guard let path = ServerProcess.resolve(executable) else {
            throw ServerProcess.StartError(description: "\(executable) not found on PATH")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-child-\(UUID().uuidString)")
        outURL = base.appendingPathExtension("out")
        errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = stdinPipe
        try process.run()
    }

    /// Writes `text` to the child's stdin (e.g. the code a login waits for).
    public func write(_ text: String) {
        try? stdinPipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Closes the child's stdin (a lock holder reading stdin then exits).
    public func closeInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Waits for the child to exit and returns its status and output. Polls with `Task.sleep`,
    /// so the wait never blocks a thread of Swift's cooperative pool (2 threads on a 2-core
    /// machine, shared by every test running in parallel).
    public func finish() async -> Result {
        closeInput()
        await Self.waitForExit(of: process)
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        let result = Result(status: status, stdout: Self.text(outURL), stderr: Self.text(errURL))
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return result
    }

    /// `true` while the child runs.
    public var isRunning: Bool { process.isRunning }

    /// What the child has written to stdout so far.
    public var stdoutSoFar: String { Self.text(outURL) }

    /// Polls until `condition` holds or `timeout` seconds pass; returns whether it held.
    /// Sleeps with `Task.sleep` between polls, never blocking a cooperative-pool thread.
    public static func waitUntil(timeout: TimeInterval = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Runs a child to completion without blocking a cooperative-pool thread.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:]) async throws -> Result {
        try await ChildProcess(executable, arguments, environment: environment).finish()
    }

    /// Returns once `process` has exited (Foundation has reaped it, so its termination status
    /// is set), polling `isRunning` with `Task.sleep` instead of blocking in `waitUntilExit()`.
    public static func waitForExit(of process: Process) async {
        while process.isRunning {
            do {
                try await Task.sleep(for: .milliseconds(10))
            } catch {
                // Cancelled: Task.sleep returns at once; nap briefly rather than spin a core.
                usleep(10_000)
            }
        }
    }

    private static func text(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
