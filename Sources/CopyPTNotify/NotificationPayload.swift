import CopyPTRecords
import Foundation

/// The JSON body POSTed to `--notify-url`: a `text` line (so Slack and Mattermost incoming
/// webhooks take it as it is) and the same facts as fields, with the idempotency key.
public struct NotificationPayload: Sendable, Equatable, Encodable {
    /// One line for people: `copypt: ID (LABEL) done: 3 objects, 1234 bytes copied and verified`.
    public var text: String
    /// The event (`done`, `failed`, `cancelled`, `stalled`, …).
    public var event: String
    /// The record id.
    public var id: String
    /// Its label, if any.
    public var label: String?
    /// The record's state when the notification is sent.
    public var state: String
    /// Why, one line, if known.
    public var reason: String?
    /// Objects copied and verified so far.
    public var objects: Int
    /// Bytes copied and verified so far.
    public var bytes: Int64
    /// The Globus task id.
    public var globusTaskID: String
    /// Where the copies go (`s3://bucket/prefix/`).
    public var destination: String
    /// When the event happened (RFC 3339 UTC).
    public var at: String
    /// The same for every attempt at this event: a receiver that has seen it may drop a repeat.
    public var idempotencyKey: String

    enum CodingKeys: String, CodingKey {
        case text, event, id, label, state, reason, objects, bytes
        case globusTaskID = "globus_task_id"
        case destination, at
        case idempotencyKey = "idempotency_key"
    }

    /// The payload for `pending` on `record`.
    public init(_ pending: PendingNotification, record: TransferRecord) {
        let subject = record.label.map { "\(record.id) (\($0))" } ?? record.id
        text = "copypt: \(subject) \(pending.event)" + (pending.reason.map { ": \($0)" } ?? "")
        event = pending.event
        id = record.id
        label = record.label
        state = record.state.rawValue
        reason = pending.reason
        objects = record.progress.objectsDone
        bytes = record.progress.bytesDone
        globusTaskID = record.globusTaskID
        destination = record.to.url
        at = RFC3339.string(from: pending.at)
        idempotencyKey = pending.key
    }

    /// The body bytes (keys sorted, so a body is reproducible).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return (try? Array(encoder.encode(self))) ?? Array("{}".utf8)
    }

    /// The environment `--notify-command` gets on top of the sweep's.
    public var environment: [String: String] {
        [
            "COPYPT_ID": id, "COPYPT_LABEL": label ?? "", "COPYPT_STATE": state, "COPYPT_EVENT": event,
            "COPYPT_REASON": reason ?? "", "COPYPT_OBJECTS": String(objects), "COPYPT_BYTES": String(bytes),
            "COPYPT_NOTIFICATION_KEY": idempotencyKey,
        ]
    }
}
