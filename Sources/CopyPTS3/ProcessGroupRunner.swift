import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one program in a process group of its own, reading its stdout up to a cap, within a
/// time limit; its stderr is the caller's, so the program's messages pass straight through
/// (as the AWS CLI lets them) and never enter copypt's own messages.
///
/// At the limit, or once stdout passes the cap, the whole group gets SIGTERM, then SIGKILL
/// two seconds later: a helper the program started (which would hold the pipe open, stretching
/// the wait far past the limit) ends with it.
struct ProcessGroupRunner: Sendable {
    /// How the program ended.
    enum Ending: Sendable, Equatable {
        /// It exited with this status (128 + N when killed by signal N).
        case exited(Int32)
        /// It outran the time limit and its group was ended.
        case timedOut
        /// Its stdout passed the cap and its group was ended.
        case outputTooLarge
    }

    /// The absolute path of the program.
    var executable: String
    /// Its arguments, without the program name.
    var arguments: [String]
    /// Its whole environment.
    var environment: [String: String]
    /// The time limit.
    var timeout: Duration
    /// The most stdout bytes read.
    var maxOutputBytes: Int
    /// Time between SIGTERM and SIGKILL.
    var killGrace: Duration = .seconds(2)

    /// Runs the program from a thread of its own: neither Swift's cooperative pool nor
    /// Dispatch's few worker threads wait on it, and it starts however busy they are. A
    /// cancelled caller ends the group at once.
    /// - Returns: how it ended, and what it printed on stdout.
    /// - Throws: ``SpawnError`` with the `errno` of a failed start.
    func run() async throws -> (ending: Ending, stdout: [UInt8]) {
        let group = GroupHandle()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread { continuation.resume(with: Result { try runBlocking(group) }) }
                thread.name = "copypt-credential-process"
                thread.start()
            }
        } onCancel: {
            group.cancel()
        }
    }

    /// A failed `posix_spawn`.
    struct SpawnError: Error, Equatable {
        let code: Int32
    }

    // MARK: - Blocking part

    private func runBlocking(_ group: GroupHandle) throws -> (ending: Ending, stdout: [UInt8]) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SpawnError(code: errno) }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        // Close-on-exec, so no other program started meanwhile keeps the pipe open (pipe2 is not
        // visible from Swift's Glibc module); the child's stdout is a dup2 copy, which stays open.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let pid: pid_t
        do {
            pid = try spawn(stdout: writeEnd)
        } catch {
            close(readEnd)
            close(writeEnd)
            throw error
        }
        close(writeEnd)
        group.started(pid)
        defer { close(readEnd) }

        let deadline = Self.now() + Self.nanoseconds(timeout)
        var output: [UInt8] = []
        var ending: Ending?
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        // Read until EOF (every holder of the pipe's write end is gone), the cap or the deadline.
        reading: while !group.isCancelled {
            let now = Self.now()
            guard now < deadline else { ending = .timedOut; break }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let wait = Int32(min(1000, (deadline - now) / 1_000_000 + 1))
            guard poll(&descriptor, 1, wait) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            switch count {
            case 0: break reading
            case ..<0 where errno == EINTR || errno == EAGAIN: continue
            case ..<0: break reading
            default:
                output.append(contentsOf: buffer[0..<count])
                if output.count > maxOutputBytes {
                    ending = .outputTooLarge
                    break reading
                }
            }
        }
        if group.isCancelled { ending = .timedOut }
        // The program closed stdout; wait for it to exit, still within the deadline.
        var status: Int32 = 0
        if ending == nil {
            while true {
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid || (reaped < 0 && errno != EINTR) { break }
                if Self.now() >= deadline || group.isCancelled {
                    ending = .timedOut
                    break
                }
                usleep(10_000)
            }
        }
        if let ending {
            endGroup(pid)
            return (ending, output)
        }
        let signal = status & 0x7f
        return (.exited(signal == 0 ? (status >> 8) & 0xff : 128 + signal), output)
    }

    /// SIGTERM to the group, SIGKILL to what is left after ``killGrace``; reaps the program.
    private func endGroup(_ pid: pid_t) {
        kill(-pid, SIGTERM)
        let giveUp = Self.now() + Self.nanoseconds(killGrace)
        var status: Int32 = 0
        var reaped = false
        while Self.now() < giveUp {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { reaped = true; break }
            usleep(10_000)
        }
        // Helpers in the group may outlive the program itself: the group gets SIGKILL regardless.
        kill(-pid, SIGKILL)
        if !reaped { _ = waitpid(pid, &status, 0) }
    }

    /// Starts the program in a new process group: stdin from /dev/null, stdout into `stdout`,
    /// stderr inherited, signal dispositions and mask reset.
    private func spawn(stdout: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)

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

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        var attempt = 0
        while true {
            let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            if code == 0 { return pid }
            // A helper just written (freshly installed) can stay "busy" while another thread's
            // fork still holds its descriptor.
            attempt += 1
            guard code == ETXTBSY, attempt < 20 else { throw SpawnError(code: code) }
            usleep(25_000)
        }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}

/// The running program's group, for a cancelling caller on another thread.
private final class GroupHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: pid_t = 0
    private var cancelled = false

    func started(_ pid: pid_t) {
        let cancelledAlready = lock.withLock { () -> Bool in
            self.pid = pid
            return cancelled
        }
        if cancelledAlready { kill(-pid, SIGKILL) }
    }

    func cancel() {
        let running = lock.withLock { () -> pid_t in
            cancelled = true
            return pid
        }
        if running > 0 { kill(-running, SIGKILL) }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }
}
