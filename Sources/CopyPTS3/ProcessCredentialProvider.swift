import Foundation

/// Runs a profile's `credential_process` and reads the JSON credentials it prints.
///
/// The command is split shell-style (quotes and backslashes honoured) and run directly,
/// without a shell. stdout must be `{"Version": 1, "AccessKeyId", "SecretAccessKey",
/// "SessionToken"?, "Expiration"?}`. A non-zero exit is an error showing stderr's first line.
/// See https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html.
public struct ProcessCredentialProvider: CredentialProvider {
    /// The command line from the profile.
    public let command: String
    /// The environment for the child (also where `PATH` is looked up).
    public let environment: [String: String]
    /// The longest the command may run before it is killed. Default 60 s.
    public let timeout: Duration

    /// Creates a provider.
    /// - Parameters:
    ///   - command: the `credential_process` value.
    ///   - environment: the child's environment, default empty.
    ///   - timeout: the run-time limit, default 60 s.
    public init(command: String, environment: [String: String] = [:], timeout: Duration = .seconds(60)) {
        self.command = command
        self.environment = environment
        self.timeout = timeout
    }

    /// The program name, for messages (arguments may carry account details, so they are left out).
    var displayName: String {
        (try? Self.splitCommandLine(command).first).flatMap { $0 } ?? command
    }

    /// Runs the command and decodes its output.
    /// - Throws: ``CredentialError/processFailed(command:status:stderr:)``, `.processLaunchFailed`, `.invalidResponse`.
    public func credentials() async throws -> AWSCredentials {
        let words = try Self.splitCommandLine(command)
        guard let program = words.first else {
            throw CredentialError.processLaunchFailed(command: "(empty)", detail: "credential_process is empty")
        }
        guard let executable = Self.resolve(program, path: environment["PATH"]) else {
            throw CredentialError.processLaunchFailed(command: program, detail: "not found or not executable")
        }
        let output = try await Self.run(
            executable: executable, arguments: Array(words.dropFirst()), environment: environment, timeout: timeout, name: program
        )
        guard output.status == 0 else {
            let firstLine = String(decoding: output.stderr, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw CredentialError.processFailed(command: program, status: output.status, stderr: firstLine)
        }
        return try AWSCredentials.decodeJSON(output.stdout, source: "credential_process \(program)", requireVersion1: true)
    }

    // MARK: - Running

    private struct Output: Sendable {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
    }

    /// Collects a pipe's bytes on another thread while the main one reads stdout.
    private final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        func set(_ data: Data) { lock.withLock { bytes = Array(data) } }
        var value: [UInt8] { lock.withLock { bytes } }
    }

    /// Runs the program on a dispatch thread, so the cooperative pool never blocks on it.
    private static func run(
        executable: String, arguments: [String], environment: [String: String], timeout: Duration, name: String
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = FileHandle.nullDevice
                do {
                    try launch(process)
                } catch {
                    continuation.resume(throwing: CredentialError.processLaunchFailed(command: name, detail: launchFailure(error)))
                    return
                }
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                let pid = process.processIdentifier
                let timedOut = Collector()
                let watchdog = DispatchWorkItem {
                    timedOut.set(Data([1]))
                    kill(pid, SIGKILL)
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
                let errors = Collector()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errors.set(stderr.fileHandleForReading.readDataToEndOfFile())
                    group.leave()
                }
                let out = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                watchdog.cancel()
                if !timedOut.value.isEmpty {
                    continuation.resume(throwing: CredentialError.processFailed(
                        command: name, status: process.terminationStatus, stderr: "killed after the \(timeout) time limit"
                    ))
                    return
                }
                continuation.resume(returning: Output(status: process.terminationStatus, stdout: Array(out), stderr: errors.value))
            }
        }
    }

    /// Starts `process`, retrying briefly on ETXTBSY: a file just written (a freshly
    /// installed helper) can stay "busy" while another thread's fork still holds its descriptor.
    private static func launch(_ process: Process) throws {
        var attempt = 0
        while true {
            do {
                return try process.run()
            } catch {
                attempt += 1
                guard attempt < 20, posixCode(error) == ETXTBSY else { throw error }
                usleep(25_000)
            }
        }
    }

    private static func posixCode(_ error: any Error) -> Int32? {
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        guard let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError else { return nil }
        return underlying.domain == NSPOSIXErrorDomain ? Int32(underlying.code) : nil
    }

    /// A short reason for a launch failure (`strerror` text when there is an errno).
    private static func launchFailure(_ error: any Error) -> String {
        posixCode(error).map { String(cString: strerror($0)) } ?? "\(error)"
    }

    /// The absolute path of `program`: itself when it holds a `/`, else the first match on `path`.
    static func resolve(_ program: String, path: String?) -> String? {
        let files = FileManager.default
        if program.contains("/") { return files.isExecutableFile(atPath: program) ? program : nil }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
