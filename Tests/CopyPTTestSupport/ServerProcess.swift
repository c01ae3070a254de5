import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A local server that a test starts as a child process on a free loopback port, and
/// stops when done (moto_server, the Globus emulator, fault proxies).
public final class ServerProcess: @unchecked Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let process: Process
    private let logURL: URL

    /// Why a server could not be started.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
        /// The server exited before it listened (its port may have been taken meanwhile).
        public var exitedEarly = false
    }

    /// Starts `executable` with `arguments`, where the string `{port}` in any argument is
    /// replaced by a free loopback port, and waits until the port accepts connections. The wait
    /// polls with `Task.sleep`, never blocking a thread of Swift's cooperative pool, so many
    /// tests can start servers at once.
    /// - Parameters:
    ///   - executable: a program name looked up on PATH, or an absolute path.
    ///   - arguments: its arguments; `{port}` is replaced.
    ///   - environment: extra environment variables for the child.
    ///   - timeout: how long to wait for the port to open, default 90 s (moto imports for seconds
    ///     of CPU, and a parallel test run on 2 cores starts several at once).
    public static func launch(
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        timeout: TimeInterval = 90
    ) async throws -> ServerProcess {
        // A port free a moment ago may be taken by another test's server before this one binds
        // it; then this one exits ("address in use"), and it is started again on another port.
        var attempt = 1
        while true {
            let server = try ServerProcess(spawning: executable, arguments: arguments, environment: environment)
            let deadline = Date().addingTimeInterval(timeout)
            do {
                while try !server.isReady(executable: executable, deadline: deadline, timeout: timeout) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                return server
            } catch let error as StartError where error.exitedEarly && attempt < 3 {
                await server.shutdown()
                attempt += 1
            } catch {
                await server.shutdown()
                throw error
            }
        }
    }

    private init(spawning executable: String, arguments: [String], environment: [String: String]) throws {
        let port = try Self.freePort()
        self.port = port
        let process = Process()
        guard let path = Self.resolve(executable) else {
            throw StartError(description: "\(executable) not found on PATH; run scripts/test, which installs it")
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments.map { $0.replacingOccurrences(of: "{port}", with: String(port)) }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("copypt-server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        self.logURL = log
        self.process = process
        try process.run()
    }

    private func isReady(executable: String, deadline: Date, timeout: TimeInterval) throws -> Bool {
        // Ready when the port answers and the socket listening on it is this server's own, not
        // another test's that took the port first.
        if Self.canConnect(port: port) && listensOnPort() { return true }
        if !process.isRunning {
            throw StartError(description: "\(executable) exited early: \(Self.tail(logURL))", exitedEarly: true)
        }
        if Date() > deadline {
            throw StartError(description: "\(executable) did not open port \(port) in \(timeout) s: \(Self.tail(logURL))")
        }
        return false
    }

    /// What the server printed so far.
    public var output: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Stops the server (SIGTERM, then SIGKILL after a second) and returns once it has exited,
    /// so its port is closed. Waits with `Task.sleep`: the call for async code.
    public func shutdown() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await ChildProcess.waitForExit(of: process)
    }

    /// Like ``shutdown()``, but blocks the calling thread: only for synchronous contexts such as
    /// `deinit` (a server answering SIGTERM promptly, as moto and the emulator do, blocks briefly).
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logURL)
    }

    // MARK: - Helpers

    /// A /proc file read to its end (Foundation trusts the zero size /proc reports and stops
    /// after the first page).
    private static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `true` when this server holds the socket listening on its port (Linux: the socket's inode
    /// in /proc/net/tcp among the process's descriptors); `true` where /proc is missing.
    private func listensOnPort() -> Bool {
        guard let table = Self.readProcFile("/proc/net/tcp") else { return true }
        let portSuffix = ":" + String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        var inodes: Set<Substring> = []
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // local_address, …, st (0A = LISTEN), …, inode
            guard fields.count > 9, fields[1].hasSuffix(portSuffix), fields[3] == "0A" else { continue }
            inodes.insert(fields[9])
        }
        let descriptors = "/proc/\(process.processIdentifier)/fd"
        guard !inodes.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: descriptors) else { return false }
        return names.contains { name in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: descriptors + "/" + name),
                  target.hasPrefix("socket:[") else { return false }
            return inodes.contains(target.dropFirst("socket:[".count).dropLast())
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed: errno \(errno)") }
        var out = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &out) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: out.sin_port))
    }

    /// `true` when something accepts TCP connections on 127.0.0.1:`port`.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }

    /// The absolute path of `name` on PATH, or `name` itself when it is a path.
    public static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func tail(_ url: URL) -> String {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return String(text.suffix(800))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
