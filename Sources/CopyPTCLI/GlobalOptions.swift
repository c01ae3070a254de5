import ArgumentParser
import CopyPTNotify
import CopyPTRecords
import Foundation
import Logging

/// Options every command that reads or writes transfer records takes: `--state-dir`, and the
/// output options every command takes (``OutputOptions``).
public struct GlobalOptions: ParsableArguments {
    /// `--state-dir DIR`.
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "Directory holding the transfer records (default: $COPYPT_STATE_DIR, else $XDG_STATE_HOME/copypt, else ~/.local/state/copypt).",
            valueName: "dir"),
        transform: GlobalOptions.directory)
    public var stateDir: URL?

    /// `--verbose`, `--quiet`, `--json`.
    @OptionGroup public var output: OutputOptions

    /// Defaults: no state dir given, info logging, text output.
    public init() {}

    /// `--verbose`: debug logging.
    public var verbose: Bool { output.verbose }
    /// `--quiet`: errors only.
    public var quiet: Bool { output.quiet }
    /// `--json`: machine-readable output on stdout.
    public var json: Bool { output.json }

    /// The log level chosen: `.debug` (`--verbose`), `.error` (`--quiet`), else `.info`.
    public var logLevel: Logger.Level { output.logLevel }

    /// A logger writing to the context's stderr at `logLevel`.
    public func makeLogger(_ context: CommandContext) -> Logger { output.makeLogger(context) }

    /// The record store in the state directory (see `StateDirectory.resolve`). Nothing is created.
    /// - Throws: `RecordError.unsafeDirectory` for a directory writable by group or others or
    ///   owned by someone else (see `RecordStore.checkPrivate`).
    public func store(_ context: CommandContext) throws -> RecordStore {
        let root = try StateDirectory.resolve(option: stateDir, environment: context.environment)
        var store = RecordStore(root: root, now: context.now)
        // A cancel, retry or any other change queues its notification in the same write.
        store.willSave = NotificationTrigger.hook(channelsConfigured: context.environment["COPYPT_NOTIFY_URL"] != nil, now: context.now)
        try store.checkPrivate()
        return store
    }

    static func directory(_ text: String) throws -> URL {
        guard !text.isEmpty else { throw ValidationError("give a directory path, e.g. --state-dir ~/copypt-state") }
        return URL(fileURLWithPath: text, isDirectory: true)
    }
}
