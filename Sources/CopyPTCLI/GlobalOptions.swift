import ArgumentParser
import CopyPTRecords
import Foundation
import Logging

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
    /// `--state-dir DIR`.
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Directory holding the transfer records (default: $COPYPT_STATE_DIR, else $XDG_STATE_HOME/copypt, else ~/.local/state/copypt).",
            valueName: "dir"),
        transform: GlobalOptions.directory)
    public var stateDir: URL?

    /// `--verbose`: debug logging.
    @Flag(name: [.short, .long], help: "Log more (debug level) on stderr.")
    public var verbose = false

    /// `--quiet`: errors only.
    @Flag(name: [.short, .long], help: "Log only errors on stderr.")
    public var quiet = false

    /// `--json`: machine-readable output on stdout.
    @Flag(help: "Print JSON on stdout instead of text.")
    public var json = false

    /// Defaults: no state dir given, info logging, text output.
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

    /// The record store in the state directory (see `StateDirectory.resolve`). Nothing is created.
    /// - Throws: `RecordError.unsafeDirectory` for a directory writable by group or others or
    ///   owned by someone else (see `RecordStore.checkPrivate`).
    public func store(_ context: CommandContext) throws -> RecordStore {
        let root = try StateDirectory.resolve(option: stateDir, environment: context.environment)
        let store = RecordStore(root: root, now: context.now)
        try store.checkPrivate()
        return store
    }

    static func directory(_ text: String) throws -> URL {
        guard !text.isEmpty else { throw ValidationError("give a directory path, e.g. --state-dir ~/copypt-state") }
        return URL(fileURLWithPath: text, isDirectory: true)
    }
}
