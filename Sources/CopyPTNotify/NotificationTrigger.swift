import CopyPTRecords
import Foundation

/// When a transfer's change is worth telling someone about, as pure functions over the record
/// before and after the change; ``queue(stored:record:now:channelsConfigured:)`` is the record
/// store's `willSave` hook that queues the events in the same write.
public enum NotificationTrigger {
    /// The events the change from `before` to `after` causes: a final outcome when the state
    /// became done, failed or cancelled; a class event when a waiting transfer's Globus class
    /// became stalled, faulting, inactive or deadline_near (once per class change, not per sweep).
    /// A new record (`before == nil`) causes none.
    public static func events(before: TransferRecord?, after: TransferRecord) -> [NotificationEvent] {
        guard let before else { return [] }
        var events: [NotificationEvent] = []
        if before.state != after.state, let outcome = outcome(after.state) { events.append(outcome) }
        if after.state == .waiting, let now = healthClass(after), now != healthClass(before),
           let event = NotificationEvent(rawValue: now), !event.isFinal {
            events.append(event)
        }
        return events
    }

    /// The outcome event for a final state.
    static func outcome(_ state: TransferState) -> NotificationEvent? {
        switch state {
        case .done: .done
        case .failed: .failed
        case .cancelled: .cancelled
        case .submitting, .waiting, .copying: nil
        }
    }

    /// The record's Globus class (`progressing`, `stalled`, `faulting`, `paused`, `inactive`,
    /// `deadline_near`), or `nil` when no sweep has written one.
    static func healthClass(_ record: TransferRecord) -> String? {
        record.globusHealth?.class.rawValue
    }

    /// The one-line reason sent with an event: the last error for `failed`, the counts for
    /// `done`, the class's reason (`globus_health.reason`) for a class event.
    static func reason(for event: NotificationEvent, _ record: TransferRecord) -> String? {
        switch event {
        case .done:
            let objects = record.progress.objectsDone
            return "\(objects) object\(objects == 1 ? "" : "s"), \(record.progress.bytesDone) bytes copied and verified"
        case .failed: return record.lastError?.message
        case .cancelled: return "cancelled with copypt cancel"
        case .stalled, .faulting, .inactive, .deadlineNear: return record.globusHealth?.reason
        }
    }

    /// The idempotency key of `event` on `record` at `date`: `<id>:<event>:<RFC 3339 time>`.
    static func key(_ event: NotificationEvent, _ record: TransferRecord, at date: Date) -> String {
        "\(record.id):\(event.rawValue):\(RFC3339.string(from: date))"
    }

    /// The record store's `willSave` hook: keeps the stored notification state (only the
    /// notifier changes it, through a store without the hook), then queues the events the change
    /// from `stored` to `record` causes — when a channel is configured (`channelsConfigured`, or
    /// the record's own URL), and always for `cancelled`, which a later sweep delivers.
    public static func queue(stored: TransferRecord?, record: inout TransferRecord, now: Date, channelsConfigured: Bool) {
        if let stored { record.notifications = stored.notifications }
        let events = events(before: stored, after: record)
        guard !events.isEmpty else { return }
        var state = record.notifications ?? NotificationState()
        for event in events where channelsConfigured || state.url != nil || event == .cancelled {
            let key = key(event, record, at: now)
            guard !state.pending.contains(where: { $0.key == key }) else { continue }
            state.pending.append(PendingNotification(key: key, event: event.rawValue, reason: reason(for: event, record), at: now))
        }
        record.notifications = state.isEmpty ? nil : state
    }
}

extension NotificationTrigger {
    /// A `RecordStore.willSave` hook running ``queue(stored:record:now:channelsConfigured:)``;
    /// `queued` learns each record id it queued an event in.
    public static func hook(
        channelsConfigured: Bool, now: @escaping @Sendable () -> Date, queued: QueuedNotifications? = nil
    ) -> @Sendable (TransferRecord?, inout TransferRecord) -> Void {
        { stored, record in
            let before = (stored ?? record).notifications?.pending.count ?? 0
            queue(stored: stored, record: &record, now: now(), channelsConfigured: channelsConfigured)
            if (record.notifications?.pending.count ?? 0) > before { queued?.insert(record.id) }
        }
    }
}
