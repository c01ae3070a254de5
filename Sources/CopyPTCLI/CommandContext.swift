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
    /// The width of the terminal standard output is, in characters; `nil` when it is not a
    /// terminal (output to a file or pipe is never cut).
    public var terminalColumns: @Sendable () -> Int?

    /// A context from its parts.
    public init(
        environment: [String: String],
        standardOutput: @escaping @Sendable (String) -> Void,
        standardError: @escaping @Sendable (String) -> Void,
        now: @escaping @Sendable () -> Date = { Date() },
        terminalColumns: @escaping @Sendable () -> Int? = { nil }
    ) {
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.now = now
        self.terminalColumns = terminalColumns
    }

    /// The real process: its environment, file descriptors 1 and 2, the system clock.
    public static var process: CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            standardOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            standardError: { FileHandle.standardError.write(Data($0.utf8)) },
            terminalColumns: { Self.columns(of: 1) }
        )
    }

    /// The width of the terminal on `descriptor`, or `nil` when it is not one.
    static func columns(of descriptor: Int32) -> Int? {
        guard isatty(descriptor) == 1 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
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
