import ArgumentParser
import CopyPTRecords
import CopyPTSweep
import Foundation
import Logging

extension CopyPTCommand {
    /// `copypt sweep` / `copypt-sweep`: move every transfer along.
    public struct Sweep: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Move every transfer along: check Globus tasks, copy the finished ones, record the outcome.",
            discussion: """
                Meant for cron: prints nothing when nothing changed, one line per state change on \
                stdout (`ID LABEL: waiting → done, 1,234 objects, 56.7 GiB`), errors on stderr. A \
                transfer another copypt process is working on is skipped, never waited for (a warning \
                when it has been held longer than --busy-warn-after). A record \
                that cannot be read is reported on stderr and left untouched; the others go on. A \
                copy killed at any instant resumes where it stopped on the next sweep (journal \
                `<id>.journal` beside the record).

                Globus: GLOBUS_SDK_SERVICE_URL_AUTH/_TRANSFER, and COPYPT_GLOBUS_CLIENT_ID and \
                COPYPT_GLOBUS_CLIENT_SECRET for a service account (else the `copypt login` token \
                file). AWS: the usual AWS_* variables and shared files; a transfer's --profile picks \
                the profile. COPYPT_HTTP_TIMEOUT (e.g. 5m) caps every HTTP request's \
                time, default 30m.

                Copies run at an adaptive concurrency shared by all transfers of one AWS profile, \
                as for `copypt copy`: from 32 requests in flight up to --max-concurrency (default \
                512), cut on SlowDown, 503, 429 or dropped connections; --concurrency N fixes it \
                per transfer instead.

                EXIT STATUS
                  0   all fine, including nothing to do
                  1   some transfer failed permanently in this run, or a record file is unreadable
                  2   usage or configuration error (Globus login, AWS credentials, settings, state directory)
                  75  only transient trouble (network, throttling, 5xx), or --max-runtime
                      reached; the next run retries

                Transient trouble is kept quiet (exit 75, nothing printed) until a transfer has had \
                it for --quiet-transient-for (default 1h; the record keeps when it began), then \
                reported once a day per transfer, so cron mails about an outage that lasts, not \
                every run.
                """
        )

        @Flag(help: "Sweep once and exit (what cron runs); without it, sweep every --interval until no transfer is waiting or copying.")
        var once = false

        @Option(help: ArgumentHelp("Time between sweeps without --once (e.g. 30s, 5m).", valueName: "duration"))
        var interval = DurationArgument(.seconds(60))

        @Flag(name: .customLong("dry-run"), help: "Show what would happen; change nothing (no record writes, no copies, no journal).")
        var dryRun = false

        @Option(name: .customLong("give-up-after"),
                help: ArgumentHelp("Fail a transfer whose Globus task is still not done this long after it was added (e.g. 7d).", valueName: "duration"))
        var giveUpAfter: DurationArgument?

        @Option(name: .customLong("stall-after"),
                help: ArgumentHelp("Call a waiting transfer's Globus task stalled when it moved no file and no byte this long (e.g. 6h).", valueName: "duration"))
        var stallAfter = DurationArgument(.seconds(6 * 3600))

        @Option(name: .customLong("metrics-file"),
                help: ArgumentHelp("Write Prometheus textfile-collector metrics here after each sweep (atomically).", valueName: "path"),
                transform: { URL(fileURLWithPath: $0) })
        var metricsFile: URL?

        @Option(name: .customLong("quiet-transient-for"),
                help: ArgumentHelp(
                    "Keep a transfer's transient errors (network, throttling, 5xx) quiet until they have lasted this long, "
                        + "then report them once a day; 0 reports each at once. The exit status is 75 either way.",
                    valueName: "duration"))
        var quietTransientFor = DurationArgument(.seconds(3600))

        @Option(name: .customLong("busy-warn-after"),
                help: ArgumentHelp("Warn when another process has held a transfer's lock longer than this (e.g. 6h).", valueName: "duration"))
        var busyWarnAfter = DurationArgument(.seconds(6 * 3600))

        @Option(name: .customLong("warn-refresh-age"),
                help: ArgumentHelp("Warn (once a day) when the Globus login was last renewed longer ago than this (e.g. 30d; 0 turns it off).", valueName: "duration"))
        var warnRefreshAge = DurationArgument(.seconds(30 * 86_400))

        @Option(help: ArgumentHelp("A fixed number of copy requests in flight per transfer (1-1000), in place of adaptive concurrency.", valueName: "n"))
        var concurrency: Int?

        @Option(name: .customLong("max-concurrency"),
                help: ArgumentHelp("The most copy requests adaptive concurrency may run at once, all transfers together (1-1000; default 512). Not with --concurrency.", valueName: "n"))
        var maxConcurrency: Int?

        @Option(name: .customLong("multipart-threshold"),
                help: ArgumentHelp("Copy objects larger than this in parts: bytes or e.g. 64MiB; at most 5GiB, S3's CopyObject limit.", valueName: "size"))
        var multipartThreshold = ByteSizeArgument(bytes: 5 << 30)

        @Option(name: .customLong("batch-size"),
                help: ArgumentHelp("Objects copied and checkpointed together, 1–1000; at most this many are re-copied after a kill.", valueName: "n"))
        var batchSize = 1000

        @Option(name: .customLong("max-runtime"),
                help: ArgumentHelp("Stop after this long (e.g. 4h; default 4h with --once, no limit without): copies stop, progress is kept, locks are released and the exit status is 75; the next run resumes.", valueName: "duration"))
        var maxRuntime: DurationArgument?

        /// `--max-runtime` with --once's default of 4 hours: a cron run longer than that is stuck,
        /// while a repeating sweep may wait days for a Globus task on purpose.
        var runtimeLimit: Duration? { maxRuntime?.duration ?? (once ? .seconds(4 * 3600) : nil) }

        @Option(name: .customLong("notify-command"),
                help: ArgumentHelp("Run this on done, failed, cancelled and on entering stalled/faulting/inactive/deadline_near "
                    + "(split into words, no shell; COPYPT_ID, COPYPT_LABEL, COPYPT_STATE, COPYPT_EVENT, COPYPT_REASON, COPYPT_OBJECTS, "
                    + "COPYPT_BYTES in its environment, the record JSON on stdin); retried by later sweeps until it exits 0.",
                    valueName: "command"))
        var notifyCommand: String?

        @Option(name: .customLong("notify-url"),
                help: ArgumentHelp("POST those events as JSON with a `text` field (Slack and Mattermost incoming webhooks take it as is) "
                    + "and an idempotency key; retried by later sweeps until answered 2xx. Default COPYPT_NOTIFY_URL.", valueName: "url"))
        var notifyURL: String?

        @Option(name: .customLong("ping-url"),
                help: ArgumentHelp("Dead-man pings (healthchecks.io): <url>/start before, <url> after exit 0 or 75, <url>/fail after 1 or 2, "
                    + "the summary line as body; a failed ping never changes the exit status.", valueName: "url"))
        var pingURL: String?

        @Option(name: .customLong("min-part-size"), help: .hidden)
        var minimumPartSize = ByteSizeArgument(bytes: 5 << 20)

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func validate() throws {
            guard interval.duration > .zero else { throw ValidationError("--interval must be longer than 0, e.g. --interval 60s.") }
            if let maxRuntime, maxRuntime.duration <= .zero {
                throw ValidationError("--max-runtime must be longer than 0, e.g. --max-runtime 4h.")
            }
            guard busyWarnAfter.duration > .zero else {
                throw ValidationError("--busy-warn-after must be longer than 0, e.g. --busy-warn-after 6h.")
            }
            guard stallAfter.duration > .zero else {
                throw ValidationError("--stall-after must be longer than 0, e.g. --stall-after 6h.")
            }
            if let giveUpAfter, giveUpAfter.duration <= .zero {
                throw ValidationError("--give-up-after must be longer than 0, e.g. --give-up-after 7d.")
            }
            do {
                _ = try CopyConcurrencyArguments.adaptive(fixed: concurrency, maximum: maxConcurrency, range: 1...1000)
            } catch let error as CopyInputError {
                throw ValidationError(error.description + ".")
            }
            guard (1...1000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 1000.") }
            guard multipartThreshold.bytes > 0, minimumPartSize.bytes > 0 else {
                throw ValidationError("--multipart-threshold and --min-part-size must be positive sizes, e.g. 64MiB.")
            }
            guard multipartThreshold.bytes <= 5 << 30 else {
                throw ValidationError("--multipart-threshold may be at most 5GiB, the largest CopyObject S3 accepts.")
            }
            if let metricsFile, metricsFile.hasDirectoryPath {
                throw ValidationError("--metrics-file must name a file, not a directory.")
            }
        }

        public func run() async throws {
            let context = CommandContext.current
            var store = try global.store(context)
            var logger = global.makeLogger(context)
            // Library info lines (retries) would make cron mail on every run: warnings and up only.
            logger.logLevel = global.verbose ? .debug : (global.quiet ? .error : .warning)
            let name = Self.commandName(context)
            let requestTimeout: Duration?
            do {
                requestTimeout = try HTTPTimeoutSetting.limit(context.environment)
            } catch {
                context.printError("\(name): \(error)")
                throw ExitCode(SweepExitStatus.configuration.rawValue)
            }
            let notifications: SweepNotifications
            do {
                notifications = try SweepNotifications(
                    command: notifyCommand, url: notifyURL, pingURL: pingURL, dryRun: dryRun, store: &store,
                    context: context, name: name)
            } catch {
                context.printError("\(name): \(error)")
                throw ExitCode(SweepExitStatus.configuration.rawValue)
            }
            var configuration = sweepConfiguration(now: context.now)
            // For tests only: die by SIGKILL at a named step of a batch transfer (after-manifest,
            // after-create-job), as a kill -9 there would.
            if let step = context.environment["COPYPT_TEST_KILL_AT"], !step.isEmpty {
                configuration.batchStepHook = { if $0 == step { kill(getpid(), SIGKILL) } }
            }
            let services = SweepServices(
                environment: context.environment, configuration: configuration, requestTimeout: requestTimeout, logger: logger)
            let sweeper = Sweeper(
                store: store, configuration: configuration, tasks: services.lazyTaskSource,
                objectStores: { profile in try services.objectStore(profile: profile) },
                batchServices: { profile in try services.batchService(profile: profile) }, logger: logger)
            let printer = SweepPrinter(
                name: name, json: global.json, verbose: global.verbose, quiet: global.quiet, context: context)
            let notices = SweepNotices(name: name, json: global.json, quiet: global.quiet, context: context)
            let onEvent = notices.filter(printer.print)
            let metricsPath = dryRun ? nil : metricsFile?.path
            let metricsFailed = MetricsFailure()
            let onReport: @Sendable (SweepReport) async -> Void = { report in
                if let metricsPath {
                    do {
                        try SweepMetrics.write(report, to: metricsPath)
                    } catch {
                        printer.print(.runError(Sweeper.sweepError(error)))
                        metricsFailed.set()
                    }
                }
                await notifications.afterSweep(report)
                printer.summary(report)
            }
            let once = self.once, interval = self.interval.duration
            let work: @Sendable () async -> SweepExitStatus = {
                if once {
                    let report = await sweeper.sweep(onEvent: onEvent)
                    await onReport(report)
                    return report.exitStatus
                }
                return await sweeper.repeatUntilIdle(interval: interval, onEvent: onEvent, onReport: onReport)
            }
            await notifications.started()
            let status: SweepExitStatus
            if let limit = runtimeLimit {
                status = await SweepDeadline(limit: limit, announce: { context.printError("\(name): \($0)") }).run(work)
            } else {
                status = await work()
            }
            if !dryRun {
                notices.finish(globusAnswered: services.globusAnswered, loginFailed: services.globusLoginFailed, warnRefreshAge: warnRefreshAge.duration)
            }
            let final = metricsFailed.isSet && status != .permanentFailure ? SweepExitStatus.configuration : status
            await notifications.ended(final)
            if final != .success { throw ExitCode(final.rawValue) }
        }

        /// The library configuration these options describe.
        func sweepConfiguration(now: @escaping @Sendable () -> Date) -> SweepConfiguration {
            // validate() has checked the pair.
            let adaptive = try? CopyConcurrencyArguments.adaptive(fixed: concurrency, maximum: maxConcurrency, range: 1...1000)
            var configuration = SweepConfiguration(
                dryRun: dryRun, giveUpAfter: giveUpAfter?.duration, concurrency: concurrency ?? adaptive?.start ?? 16,
                multipartThreshold: multipartThreshold.bytes, minimumPartSize: minimumPartSize.bytes, batchSize: batchSize,
                quietTransientFor: quietTransientFor.duration, busyWarnAfter: busyWarnAfter.duration,
                adaptiveConcurrency: adaptive, now: now)
            configuration.stallAfter = stallAfter.duration
            return configuration
        }

        /// `copypt-sweep` when run as that executable, else `copypt sweep`.
        static func commandName(_ context: CommandContext) -> String {
            let invoked = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
            return invoked == "copypt-sweep" ? "copypt-sweep" : "copypt sweep"
        }
    }
}

/// Remembers that writing the metrics file failed (set from the report callback).
final class MetricsFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = false
    func set() { lock.withLock { failed = true } }
    var isSet: Bool { lock.withLock { failed } }
}
