import CopyPTHTTP
import CopyPTNotify
import CopyPTRecords
import CopyPTSweep
import Foundation

/// The sweep's notifications (`--notify-command`, `--notify-url`, `COPYPT_NOTIFY_URL`) and
/// dead-man pings (`--ping-url`), made from its options: the record store's hook that queues
/// events, the delivery pass after each sweep, and the pings around the whole run.
final class SweepNotifications: @unchecked Sendable {
    private let notifier: Notifier?
    private let queued = QueuedNotifications()
    private let ping: PingClient?
    private let name: String
    private let printError: @Sendable (String) -> Void
    private let lock = NSLock()
    private var pingWarned = false
    private var lastReport: SweepReport?

    /// - Throws: ``NotifyError`` for an unusable URL or command (the caller exits 2).
    init(
        command: String?, url: String?, pingURL: String?, dryRun: Bool, store: inout RecordStore,
        context: CommandContext, name: String
    ) throws {
        let environment = context.environment
        let words = try command.map(CommandWords.split)
        let sweepURL: NotifyURL?
        if let url {
            sweepURL = try NotifyURL(url, setting: "--notify-url")
        } else if let text = environment["COPYPT_NOTIFY_URL"], !text.isEmpty {
            sweepURL = try NotifyURL(text, setting: "COPYPT_NOTIFY_URL")
        } else {
            sweepURL = nil
        }
        let ping = try pingURL.map { try NotifyURL($0, setting: "--ping-url") }
        self.name = name
        self.printError = { line in context.printError(line) }
        let configuration = NotifyConfiguration(command: words, url: sweepURL, environment: environment, now: context.now)
        store.willSave = NotificationTrigger.hook(channelsConfigured: configuration.hasChannels, now: context.now, queued: queued)
        let transport: (any HTTPTransport)? = (sweepURL != nil || ping != nil || words != nil)
            ? try? CurlTransports(environment: environment).transport(caBundle: nil) : nil
        if dryRun {
            notifier = nil
            self.ping = nil
        } else {
            notifier = transport.map { Notifier(store: store, configuration: configuration, transport: $0) }
                ?? Notifier(store: store, configuration: configuration, transport: UnavailableTransport())
            self.ping = ping.map { PingClient(url: $0, transport: transport ?? UnavailableTransport()) }
        }
    }

    /// After a sweep: delivers what it queued and what earlier runs left undelivered.
    func afterSweep(_ report: SweepReport) async {
        lock.withLock { lastReport = report }
        guard let notifier else { return }
        let ids = queued.take().union(report.notificationsPending)
        guard !ids.isEmpty else { return }
        let result = await notifier.deliver(ids)
        for warning in result.warnings { printError("\(name): \(warning)") }
    }

    /// `<ping-url>/start`.
    func started() async {
        await send(.start, body: "\(name): started")
    }

    /// `<ping-url>` when the run ended 0 or 75 (transient trouble: the sweep ran and retries by
    /// itself), `<ping-url>/fail` on 1 or 2; the body is the one-line summary.
    func ended(_ status: SweepExitStatus) async {
        let kind: PingClient.Kind = (status == .success || status == .transient) ? .success : .fail
        await send(kind, body: summary(status))
    }

    private func send(_ kind: PingClient.Kind, body: String) async {
        guard let ping else { return }
        do {
            try await ping.ping(kind, body: body)
        } catch {
            // Warned once a run; the exit status never changes for a ping.
            let first = lock.withLock { () -> Bool in
                defer { pingWarned = true }
                return !pingWarned
            }
            if first { printError("\(name): warning: ping failed: \(error) The exit status is unaffected.") }
        }
    }

    /// `copypt sweep: exit 0; 2 change(s), 10 objects copied; waiting 1, copying 0, done 3, failed 0, cancelled 0`.
    func summary(_ status: SweepExitStatus) -> String {
        guard let report = lock.withLock({ lastReport }) else { return "\(name): exit \(status.rawValue)" }
        let states = TransferState.allCases.map { "\($0.rawValue) \(report.transfersByState[$0] ?? 0)" }.joined(separator: ", ")
        return "\(name): exit \(status.rawValue); \(report.changes.count) change(s), \(report.objectsCopied) objects copied; \(states)"
    }
}

/// Stands in when no libcurl transport could be made: every request fails, as unreachable.
private struct UnavailableTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw HTTPError.transport(host: URLParts(request.url).host, code: 0, detail: "libcurl could not be set up")
    }
}
