@testable import CopyPTSweep
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Logging

/// A state directory, a fake Globus and a fake S3, and helpers to add records and sweep.
final class SweepFixture: @unchecked Sendable {
    let root: URL
    let store: RecordStore
    let tasks = FakeTaskSource()
    let s3 = FakeObjectStore()
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    var now = SweepFixture.start
    private let lock = NSLock()
    private var collected: [SweepEvent] = []

    init() throws {
        root = try TemporaryDirectory.make("copypt-sweep")
        store = RecordStore(root: root, now: { SweepFixture.start })
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var events: [SweepEvent] { lock.withLock { collected } }

    /// Adds a waiting record for `taskID`: staging s3://staging/<prefix>, destination s3://dest/out/<prefix>.
    @discardableResult
    func add(_ id: String, task taskID: String, prefix: String = "run/", options: CopyOptions = CopyOptions(), label: String? = nil) throws -> TransferRecord {
        let record = TransferRecord(
            id: id, label: label, globusTaskID: taskID,
            from: S3Prefix(bucket: "staging", prefix: prefix), to: S3Prefix(bucket: "dest", prefix: "out/" + prefix),
            globusPath: "/staging/" + prefix, options: options, createdAt: now)
        try store.create(record)
        return record
    }

    /// Puts `keys` (relative to `prefix`) in staging and tells Globus they were delivered.
    func stage(task taskID: String, prefix: String = "run/", _ relatives: [String], size: Int64 = 10) {
        for relative in relatives { s3.put("staging", prefix + relative, size: size) }
        tasks.deliver(taskID, relatives.map { "/staging/" + prefix + $0 })
    }

    func sweeper(_ configure: (inout SweepConfiguration) -> Void = { _ in }) -> Sweeper {
        let clock = now
        var configuration = SweepConfiguration(now: { clock })
        configure(&configuration)
        let s3 = self.s3
        return Sweeper(store: store, configuration: configuration, tasks: tasks, objectStores: { _ in s3 }, logger: Logger(label: "test"))
    }

    func sweep(_ configure: (inout SweepConfiguration) -> Void = { _ in }) async -> SweepReport {
        lock.withLock { collected.removeAll() }
        return await sweeper(configure).sweep { event in self.lock.withLock { self.collected.append(event) } }
    }

    func record(_ id: String) throws -> TransferRecord { try store.load(id) }

    func modificationDate(_ id: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: store.recordURL(for: id).path)[.modificationDate] as? Date
    }
}
