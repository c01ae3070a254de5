import CopyPTHTTP
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@testable import CopyPTNotify

@Suite struct NotifierTests {
    static let url = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX"

    static func store(_ directory: URL, pending: [PendingNotification], url: String? = nil) throws -> (RecordStore, String) {
        let store = RecordStore(root: directory)
        var record = NotificationTriggerTests.record(.cancelled)
        record.notifications = NotificationState(url: url, pending: pending)
        try store.create(record)
        return (store, record.id)
    }

    static func pending(at date: Date = NotificationTriggerTests.t0) -> PendingNotification {
        PendingNotification(key: "20261205-abc123:cancelled:x", event: "cancelled", reason: "cancelled with copypt cancel", at: date)
    }

    @Test("A 2xx acknowledges: the event leaves the record; the POST carries text, fields and the key")
    func delivered() async throws {
        try await TemporaryDirectory.with { directory in
            let (store, id) = try Self.store(directory, pending: [Self.pending()])
            let stub = StubTransport(responses: [HTTPResponse(status: 200)])
            let notifier = Notifier(store: store, configuration: NotifyConfiguration(url: try NotifyURL(Self.url, setting: "--notify-url")), transport: stub)
            let report = await notifier.deliver([id])
            #expect(report.delivered == 1 && report.warnings.isEmpty)
            #expect(try store.load(id).notifications == nil)
            let request = try #require(stub.requests.first)
            #expect(request.method == .post && request.url == Self.url)
            #expect(request.headers["Idempotency-Key"] == "20261205-abc123:cancelled:x")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(body["text"] as? String == "copypt: 20261205-abc123 (run 42) cancelled: cancelled with copypt cancel")
            #expect(body["idempotency_key"] as? String == "20261205-abc123:cancelled:x")
            #expect(body["destination"] as? String == "s3://dest/out/")
        }
    }

    @Test("A failure keeps the event with its attempts and a redacted error; past the age cap it is dropped with a note")
    func failedThenDropped() async throws {
        try await TemporaryDirectory.with { directory in
            let (store, id) = try Self.store(directory, pending: [Self.pending()], url: Self.url)
            let stub = StubTransport(responses: [HTTPResponse(status: 503)])
            let later = NotificationTriggerTests.t0.addingTimeInterval(60)
            let notifier = Notifier(store: store, configuration: NotifyConfiguration(now: { later }), transport: stub)
            let first = await notifier.deliver([id])
            #expect(first.warnings.count == 1 && !first.warnings[0].contains("SECRET"), "\(first)")
            let kept = try #require(try store.load(id).notifications?.pending.first)
            #expect(kept.attempts == 1)
            #expect(kept.lastError == "the webhook https://hooks.slack.com/… answered HTTP 503; the next sweep sends it again.")

            let muchLater = NotificationTriggerTests.t0.addingTimeInterval(4 * 86400)
            let late = Notifier(store: store, configuration: NotifyConfiguration(now: { muchLater }), transport: StubTransport())
            let dropped = await late.deliver([id])
            #expect(dropped.warnings.first?.contains("dropped after 2 attempts") == true, "\(dropped)")
            let record = try store.load(id)
            #expect(record.notifications?.pending.isEmpty != false)
            #expect(record.notes.last?.contains("dropped after 2 attempts") == true)
            #expect(record.notifications?.url == Self.url)
        }
    }

    @Test("The store hook queues a state change's event in the very write that makes it")
    func hookInSameWrite() throws {
        try TemporaryDirectory.with { directory in
            var store = RecordStore(root: directory)
            let record = NotificationTriggerTests.record(.copying)
            try store.create(record)
            let queued = QueuedNotifications()
            store.willSave = NotificationTrigger.hook(channelsConfigured: true, now: { NotificationTriggerTests.t0 }, queued: queued)
            _ = try store.withLock(record.id) { record in record.state = .done }
            #expect(try store.load(record.id).notifications?.pending.map(\.event) == ["done"])
            #expect(queued.take() == [record.id])
            // A later checkpoint of a stale copy keeps the queued event.
            try store.save(NotificationTriggerTests.record(.done))
            #expect(try store.load(record.id).notifications?.pending.count == 1)
        }
    }

    @Test("A sweep with no channel keeps a queued event untried (a cancel waits for the sweep that has one)")
    func noChannelKeeps() async throws {
        try await TemporaryDirectory.with { directory in
            let (store, id) = try Self.store(directory, pending: [Self.pending()])
            let stub = StubTransport()
            let soon = NotifyConfiguration(now: { NotificationTriggerTests.t0.addingTimeInterval(60) })
            let report = await Notifier(store: store, configuration: soon, transport: stub).deliver([id])
            #expect(report == Notifier.Report() && stub.requests.isEmpty)
            #expect(try store.load(id).notifications?.pending == [Self.pending()])
        }
    }
}
