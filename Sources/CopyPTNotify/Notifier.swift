import CopyPTHTTP
import CopyPTRecords
import Foundation

/// Delivers the events queued in records (``NotificationTrigger``) to `--notify-command` and
/// the webhook, each record under its lock, and records what was acknowledged.
///
/// Semantics: at least once. An event leaves the record only after every channel acknowledged
/// it (command exit 0, webhook 2xx), and that is written before the lock is released; a kill
/// between a send and that write sends it again on the next sweep with the same idempotency key.
/// A channel that acknowledged is never sent to again. An event still undelivered after
/// ``NotifyConfiguration/maxAttempts`` sweeps or ``NotifyConfiguration/maxAge`` is dropped with
/// a note in the record.
public struct Notifier: Sendable {
    /// What one delivery pass did.
    public struct Report: Sendable, Equatable {
        /// Events every channel acknowledged.
        public var delivered = 0
        /// Lines a person should read (first failure of an event, events given up), URLs redacted.
        public var warnings: [String] = []
        /// Records another process held (tried again next sweep).
        public var busy = 0
    }

    /// The records; written without the `willSave` hook, so only this type changes `notifications`.
    public let store: RecordStore
    /// Channels and caps.
    public let configuration: NotifyConfiguration
    let transport: any HTTPTransport

    /// A notifier.
    public init(store: RecordStore, configuration: NotifyConfiguration, transport: any HTTPTransport) {
        var plain = store
        plain.willSave = nil
        self.store = plain
        self.configuration = configuration
        self.transport = transport
    }

    /// Delivers the pending events of the records `ids` (others are not read).
    public func deliver(_ ids: some Sequence<String>) async -> Report {
        var report = Report()
        for id in Set(ids).sorted() {
            do {
                let result = try await store.withLock(id) { record in await deliver(&record, report: &report) }
                if result.value == nil { report.busy += 1 }
            } catch {
                report.warnings.append("notifications for \(id) not delivered: \(error)")
            }
        }
        return report
    }

    private func deliver(_ record: inout TransferRecord, report: inout Report) async {
        guard var state = record.notifications, !state.pending.isEmpty else { return }
        var url = configuration.url
        var urlError: NotifyError?
        if let own = state.url {
            do {
                url = try NotifyURL(own, setting: "the transfer's --notify-url")
            } catch {
                url = nil
                urlError = error as? NotifyError
            }
        }
        let anyChannel = configuration.command != nil || url != nil
        var kept: [PendingNotification] = []
        for var pending in state.pending {
            // Nowhere to send it in this run (a cancel queued it for the sweep that has a
            // channel): kept as it is, untried, until it is too old to matter.
            guard anyChannel else {
                if configuration.now().timeIntervalSince(pending.at) < configuration.maxAge { kept.append(pending) }
                continue
            }
            let payload = NotificationPayload(pending, record: record)
            var failure = urlError
            if let command = configuration.command, !pending.delivered.contains("command") {
                do {
                    let stdin = (try? RecordCoding.encode(record.redactingSecrets)).map(Array.init) ?? []
                    try await NotifyCommandRunner(words: command, timeout: configuration.commandTimeout)
                        .run(stdin: stdin, environment: Self.commandEnvironment(configuration.environment, payload))
                    pending.delivered.append("command")
                } catch let error as NotifyError {
                    failure = error
                } catch {
                    failure = .commandNotStarted(program: command.first ?? "", detail: "\(error)")
                }
            }
            if let url, !pending.delivered.contains("url") {
                do {
                    try await Webhook(url: url, transport: transport, timeout: configuration.requestTimeout).send(payload)
                    pending.delivered.append("url")
                } catch let error as NotifyError {
                    failure = failure ?? error
                } catch {
                    failure = failure ?? .unreachable(url: url.redacted, detail: "\(error)")
                }
            }
            guard let failure else {
                report.delivered += 1
                continue
            }
            pending.attempts += 1
            pending.lastError = failure.description
            let age = configuration.now().timeIntervalSince(pending.at)
            let subject = "\(record.id) \(pending.event) notification"
            if pending.attempts >= configuration.maxAttempts || age >= configuration.maxAge {
                let line = "\(subject) dropped after \(pending.attempts) attempts: \(failure)"
                report.warnings.append(line)
                record.notes.append(line)
                continue
            }
            if pending.attempts == 1 { report.warnings.append("\(subject) not delivered yet: \(failure)") }
            kept.append(pending)
        }
        state.pending = kept
        record.notifications = state.isEmpty ? nil : state
    }

    /// Secrets copypt reads from its environment, not passed on to `--notify-command`.
    static let withheld: Set<String> = [
        "COPYPT_GLOBUS_CLIENT_SECRET", "COPYPT_NOTIFY_URL", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ]

    /// The command's environment: the sweep's, less its secrets, plus the notification's variables.
    static func commandEnvironment(_ base: [String: String], _ payload: NotificationPayload) -> [String: String] {
        base.filter { !withheld.contains($0.key) }.merging(payload.environment) { $1 }
    }
}
