import Foundation

/// What a command reads from and writes to the outside world: the environment, stdout,
/// stderr and the clock. The executables use the real ones; tests run commands in-process
/// with `CommandContext.$current.withValue(…)` and capture what they print.
public struct CommandContext: Sendable {
    /// Environment variables (the process's, or a test's dictionary).
    public var environment: [String: String]
    /// Writes text to standard output (results).
    public var standardOutput: @Sendable (String) -> Void
    /// Writes text to standard error (logs, errors).
    public var standardError: @Sendable (String) -> Void
    /// The current time.
    public var now: @Sendable () -> Date

    /// A context from its parts.
    public init(
        environment: [String: String],
        standardOutput: @escaping @Sendable (String) -> Void,
        standardError: @escaping @Sendable (String) -> Void,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.now = now
    }

    /// The real process: its environment, file descriptors 1 and 2, the system clock.
    public static var process: CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            standardError: { FileHandle.standardError.write(Data($0.utf8)) }
        )
    }

    /// The context commands run in.
    @TaskLocal public static var current: CommandContext = .process

    /// Prints `line` and a newline on stdout.
    func print(_ line: String) {
        standardOutput(line + "\n")
    }

    /// Prints `line` and a newline on stderr.
    func printError(_ line: String) {
        standardError(line + "\n")
    }
}
