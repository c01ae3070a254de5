import ArgumentParser
import CopyPTRecords
import Foundation
import Logging

extension CopyPTCommand {
    /// `copypt sweep` / `copypt-sweep`: move every transfer along.
    public struct Sweep: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Move every transfer along: check Globus tasks, copy the finished ones, record the outcome.",
            discussion: """
                Meant for cron: prints nothing when nothing changed, logs and errors go to stderr. \
                A transfer another copypt process is working on is skipped, never waited for. A \
                record that cannot be read is reported on stderr and left untouched; the others go \
                on. On an empty or missing state directory it does nothing and creates nothing.

                EXIT STATUS
                  0   all fine, including nothing to do
                  1   some transfer failed permanently in this run
                  2   usage or configuration error
                  75  only transient trouble; the next run retries
                """
        )

        @Flag(help: "Sweep once and exit (what cron runs); without it, sweep every --interval until no transfer is waiting or copying.")
        var once = false

        @Option(help: ArgumentHelp("Time between sweeps without --once (e.g. 30s, 5m).", valueName: "duration"))
        var interval = DurationArgument(.seconds(60))

        @Flag(name: .customLong("dry-run"), help: "Show what would happen; change nothing.")
        var dryRun = false

        @Option(name: .customLong("give-up-after"),
                help: ArgumentHelp("Fail a transfer whose Globus task is still not done this long after it was added (e.g. 7d).", valueName: "duration"))
        var giveUpAfter: DurationArgument?

        @Option(name: .customLong("metrics-file"),
                help: ArgumentHelp("Write Prometheus textfile-collector metrics here after each sweep.", valueName: "path"),
                transform: { URL(fileURLWithPath: $0) })
        var metricsFile: URL?

        @Option(help: ArgumentHelp("Copy requests in flight at once.", valueName: "n"))
        var concurrency = 16

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func validate() throws {
            guard interval.duration > .zero else { throw ValidationError("--interval must be longer than 0, e.g. --interval 60s.") }
            if let giveUpAfter, giveUpAfter.duration <= .zero {
                throw ValidationError("--give-up-after must be longer than 0, e.g. --give-up-after 7d.")
            }
            guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 256.") }
            if let metricsFile, metricsFile.hasDirectoryPath {
                throw ValidationError("--metrics-file must name a file, not a directory.")
            }
        }

        public func run() async throws {
            let context = CommandContext.current
            let logger = global.makeLogger(context)
            let store = try global.store(context)
            // Until the sweep engine lands: load, report unreadable records, touch each active
            // record only under its lock (skipping busy ones), and change nothing.
            let listing = try store.loadAll()
            for problem in listing.problems { logger.error("\(problem)") }
            var busy = 0
            for record in listing.records where record.state.isActive {
                if try store.withLock(record.id, { _ in }).isBusy {
                    busy += 1
                    logger.debug("skipped: another copypt process holds it", metadata: ["id": "\(record.id)"])
                }
            }
            logger.debug("sweep done", metadata: [
                "records": "\(listing.records.count)", "unreadable": "\(listing.problems.count)", "busy": "\(busy)",
            ])
        }
    }
}
