import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `--notify-command` without a shell, in a process group of its own, with the record JSON
/// on stdin and the notification's facts in its environment, within a time limit (then SIGTERM
/// to the group, SIGKILL two seconds later), as `ProcessGroupRunner` runs a credential process.
/// Its stdout goes to copypt's stderr: copypt's stdout carries results only.
public struct NotifyCommandRunner: Sendable {
    /// The program and its arguments (``CommandWords``).
    public var words: [String]
    /// The time limit.
    public var timeout: Duration

    /// A runner for `words` with `timeout` (default 30 s).
    public init(words: [String], timeout: Duration = .seconds(30)) {
        self.words = words
        self.timeout = timeout
    }

    /// Runs the command once.
    /// - Parameters:
    ///   - stdin: what the command reads on stdin.
    ///   - environment: its whole environment (PATH in it finds a bare program name).
    /// - Throws: ``NotifyError`` when it cannot start, exits non-zero or outruns the limit.
    public func run(stdin: [UInt8], environment: [String: String]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread { continuation.resume(with: Result { try runBlocking(stdin: stdin, environment: environment) }) }
            thread.name = "copypt-notify-command"
            thread.start()
        }
    }

    private var program: String { words.first ?? "" }

    private func runBlocking(stdin: [UInt8], environment: [String: String]) throws {
        let executable = try resolve(program, path: environment["PATH"] ?? "/usr/bin:/bin")
        let input = try inputFile(stdin)
        defer { close(input) }
        let pid = try spawn(executable, stdin: input, environment: environment)
        let deadline = Date().addingTimeInterval(timeout.seconds)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw NotifyError.commandFailed(program: program, status: -1) }
            if Date() >= deadline {
                endGroup(pid)
                throw NotifyError.commandTimedOut(program: program, seconds: timeout.components.seconds)
            }
            usleep(10_000)
        }
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        guard code == 0 else { throw NotifyError.commandFailed(program: program, status: code) }
    }

    /// `program` itself when it holds a `/`, else the first executable of that name on `path`.
    private func resolve(_ program: String, path: String) throws -> String {
        if program.contains("/") { return program }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw NotifyError.commandNotStarted(program: program, detail: "not found on PATH")
    }

    /// An unlinked temporary file holding `bytes`, positioned at its start.
    private func inputFile(_ bytes: [UInt8]) throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/copypt-notify-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw NotifyError.commandNotStarted(program: program, detail: String(cString: strerror(errno))) }
        // Unlinked at once: the command reads it through its stdin, nothing is left behind.
        template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                close(fd)
                throw NotifyError.commandNotStarted(program: program, detail: "could not write its input: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    private func spawn(_ executable: String, stdin: Int32, environment: [String: String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw NotifyError.commandNotStarted(program: program, detail: String(cString: strerror(code))) }
        return pid
    }

    /// SIGTERM to the group, SIGKILL after two seconds; reaps the program.
    private func endGroup(_ pid: pid_t) {
        kill(-pid, SIGTERM)
        let giveUp = Date().addingTimeInterval(2)
        var status: Int32 = 0
        while Date() < giveUp {
            if waitpid(pid, &status, WNOHANG) == pid {
                kill(-pid, SIGKILL)
                return
            }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
