import CopyPTRecords
import Foundation
import Testing

@testable import CopyPTNotify

@Suite struct NotificationTriggerTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    static func record(_ state: TransferState = .waiting) -> TransferRecord {
        TransferRecord(
            id: "20261205-abc123", label: "run 42", globusTaskID: "0f0e0d0c-1111-2222-3333-444455556666",
            from: S3Prefix(bucket: "staging", prefix: "in/"), to: S3Prefix(bucket: "dest", prefix: "out/"),
            globusPath: "/staging/in/", state: state, createdAt: t0)
    }

    @Test("Entering done, failed or cancelled is one outcome event; staying there is none")
    func outcomes() {
        for (state, event) in [(TransferState.done, NotificationEvent.done), (.failed, .failed), (.cancelled, .cancelled)] {
            #expect(NotificationTrigger.events(before: Self.record(.copying), after: Self.record(state)) == [event])
            #expect(NotificationTrigger.events(before: Self.record(state), after: Self.record(state)).isEmpty)
        }
        #expect(NotificationTrigger.events(before: Self.record(.waiting), after: Self.record(.copying)).isEmpty)
        #expect(NotificationTrigger.events(before: Self.record(.failed), after: Self.record(.waiting)).isEmpty)
    }

    @Test("A record just created causes no event")
    func newRecord() {
        #expect(NotificationTrigger.events(before: nil, after: Self.record(.done)).isEmpty)
    }

    @Test("The hook queues an outcome in the same write, keeps the stored state, and skips it with no channel")
    func queue() {
        var record = Self.record(.done)
        record.progress.objectsDone = 3
        record.progress.bytesDone = 1234
        NotificationTrigger.queue(stored: Self.record(.copying), record: &record, now: Self.t0, channelsConfigured: true)
        let pending = try? #require(record.notifications?.pending)
        #expect(pending?.map(\.event) == ["done"])
        #expect(pending?.first?.key == "20261205-abc123:done:2026-11-30T00:53:20Z")
        #expect(pending?.first?.reason == "3 objects, 1234 bytes copied and verified")

        var quiet = Self.record(.done)
        NotificationTrigger.queue(stored: Self.record(.copying), record: &quiet, now: Self.t0, channelsConfigured: false)
        #expect(quiet.notifications == nil)

        // A cancel is queued even without a channel in the cancelling process: the sweep delivers it.
        var cancelled = Self.record(.cancelled)
        NotificationTrigger.queue(stored: Self.record(.waiting), record: &cancelled, now: Self.t0, channelsConfigured: false)
        #expect(cancelled.notifications?.pending.map(\.event) == ["cancelled"])

        // A writer's stale copy does not undo what the notifier stored.
        var stored = Self.record(.done)
        stored.notifications = NotificationState(url: "https://hooks.example/x")
        var stale = Self.record(.done)
        NotificationTrigger.queue(stored: stored, record: &stale, now: Self.t0, channelsConfigured: false)
        #expect(stale.notifications == stored.notifications)
    }

    static func waiting(_ kind: GlobusHealth.Class?, reason: String = "r") -> TransferRecord {
        var record = record(.waiting)
        record.globusHealth = kind.map { GlobusHealth(class: $0, reason: reason, since: t0, progressAt: t0) }
        return record
    }

    @Test("Entering stalled, faulting, inactive or deadline_near is one event with the class's reason; staying, paused or progressing is none")
    func classes() {
        for kind in [GlobusHealth.Class.stalled, .faulting, .inactive, .deadlineNear] {
            #expect(NotificationTrigger.events(before: Self.waiting(.progressing), after: Self.waiting(kind)).map(\.rawValue) == [kind.rawValue])
            #expect(NotificationTrigger.events(before: Self.waiting(nil), after: Self.waiting(kind)).map(\.rawValue) == [kind.rawValue])
            #expect(NotificationTrigger.events(before: Self.waiting(kind, reason: "a"), after: Self.waiting(kind, reason: "b")).isEmpty)
        }
        #expect(NotificationTrigger.events(before: Self.waiting(.stalled), after: Self.waiting(.faulting)) == [.faulting])
        #expect(NotificationTrigger.events(before: Self.waiting(.stalled), after: Self.waiting(.progressing)).isEmpty)
        #expect(NotificationTrigger.events(before: Self.waiting(.progressing), after: Self.waiting(.paused)).isEmpty)
        var faulting = Self.waiting(.faulting, reason: "PERMISSION_DENIED: reactivate")
        NotificationTrigger.queue(stored: Self.waiting(.progressing), record: &faulting, now: Self.t0, channelsConfigured: true)
        #expect(faulting.notifications?.pending.first?.reason == "PERMISSION_DENIED: reactivate")
    }
}
