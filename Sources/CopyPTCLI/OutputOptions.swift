import ArgumentParser
import Foundation
import Logging

/// What every command says and how much: `--verbose`, `--quiet`, `--json`. One definition, so
/// each has the same meaning and help text in every command.
public struct OutputOptions: ParsableArguments {
    /// `--verbose`/`-v`: debug logging; `copy` also prints one line per object copied.
    @Flag(name: [.short, .long], help: "Say more: debug logs on stderr; copy also prints one line per object it copies.")
    public var verbose = false

    /// `--quiet`/`-q`: errors only.
    @Flag(name: [.short, .long], help: "Print only errors: no summary, no log lines below error level.")
    public var quiet = false

    /// `--json`: machine-readable output on stdout.
    @Flag(help: "Print the result as JSON on stdout (snake_case keys and a schema_version).")
    public var json = false

    /// Defaults: info logging, text output.
    public init() {}

    /// Rejects `--verbose` with `--quiet`.
    public func validate() throws {
        if verbose && quiet {
            throw ValidationError("--verbose and --quiet contradict each other; pass at most one of them.")
        }
    }

    /// The log level chosen: `.debug` (`--verbose`), `.error` (`--quiet`), else `.info`.
    public var logLevel: Logger.Level { verbose ? .debug : (quiet ? .error : .info) }

    /// A logger writing to the context's stderr at `logLevel`.
    public func makeLogger(_ context: CommandContext) -> Logger {
        let level = logLevel
        var logger = Logger(label: "copypt") { label in
            StderrLogHandler(label: label, level: level, write: context.standardError)
        }
        logger.logLevel = level
        return logger
    }
}
