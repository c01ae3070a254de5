import Foundation

/// Runs a profile's `credential_process` and reads the JSON credentials it prints.
///
/// The command is split shell-style (quotes and backslashes honoured) and run directly,
/// without a shell. stdout must be `{"Version": 1, "AccessKeyId", "SecretAccessKey",
/// "SessionToken"?, "Expiration"?}`, at most 64 KiB. Its stderr is copypt's stderr, as with the
/// AWS CLI: whatever it says there (it may hold secrets) never enters copypt's messages. It runs
/// in a process group of its own, ended whole at the time limit (see ``ProcessGroupRunner``).
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

    /// The most stdout read from the command: 64 KiB, many times any credentials document.
    public static let maxOutputBytes = 64 << 10

    /// The program name, for messages (arguments may carry account details, so they are left out).
    var displayName: String {
        (try? Self.splitCommandLine(command).first).flatMap { $0 } ?? command
    }

    /// Runs the command and decodes its output.
    /// - Throws: ``CredentialError/processFailed(command:status:)``, `.processTimedOut`,
    ///   `.processOutputTooLarge`, `.processLaunchFailed`, `.invalidResponse`.
    public func credentials() async throws -> AWSCredentials {
        let words = try Self.splitCommandLine(command)
        guard let program = words.first else {
            throw CredentialError.processLaunchFailed(command: "(empty)", detail: "credential_process is empty")
        }
        guard let executable = Self.resolve(program, path: environment["PATH"]) else {
            throw CredentialError.processLaunchFailed(command: program, detail: "not found or not executable")
        }
        let runner = ProcessGroupRunner(
            executable: executable, arguments: Array(words.dropFirst()), environment: environment,
            timeout: timeout, maxOutputBytes: Self.maxOutputBytes)
        let output: (ending: ProcessGroupRunner.Ending, stdout: [UInt8])
        do {
            output = try await runner.run()
        } catch let error as ProcessGroupRunner.SpawnError {
            throw CredentialError.processLaunchFailed(command: program, detail: String(cString: strerror(error.code)))
        }
        try Task.checkCancellation()
        switch output.ending {
        case .exited(0): break
        case .exited(let status): throw CredentialError.processFailed(command: program, status: status)
        case .timedOut: throw CredentialError.processTimedOut(command: program, limit: timeout)
        case .outputTooLarge: throw CredentialError.processOutputTooLarge(command: program, limit: Self.maxOutputBytes)
        }
        return try AWSCredentials.decodeJSON(output.stdout, source: "credential_process \(program)", requireVersion1: true)
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
