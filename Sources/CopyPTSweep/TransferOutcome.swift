import CopyPTRecords

/// What a sweep did to one transfer, merged into the ``SweepReport`` by the sweep's own task.
struct CopyOutcome: Sendable {
    /// The record as it is now (`nil`: unchanged or unknown).
    var record: TransferRecord?
    /// The state change reported, if any.
    var change: SweepStateChange?
    /// The error met, if any.
    var error: SweepError?
    /// `true` when another sweep held the record.
    var busy = false
    /// `true` when ``error`` is transient trouble kept quiet (see ``SweepConfiguration/quietTransientFor``).
    var quiet = false
    /// Objects and bytes copied in this run.
    var objectsCopied = 0
    var bytesCopied: Int64 = 0

    /// Adds this outcome to `report` and `latest`.
    func merge(into report: inout SweepReport, latest: inout [String: RecordTally]) {
        if let record { latest[record.id] = RecordTally(record) }
        if let change { report.changes.append(change) }
        if busy { report.busy += 1 }
        report.objectsCopied = Saturating.add(report.objectsCopied, objectsCopied)
        report.bytesCopied = Saturating.add(report.bytesCopied, bytesCopied)
        switch error?.kind {
        case .transient: report.transientErrors += 1
        case .permanent: report.permanentFailures += 1
        case .configuration: report.configurationErrors += 1
        case nil: break
        }
    }
}

/// The one object store per AWS profile that a sweeper uses, made on first use.
actor ObjectStoreCache {
    private let factory: ObjectStoreFactory
    private var stores: [String: any ObjectStore] = [:]

    init(factory: @escaping ObjectStoreFactory) {
        self.factory = factory
    }

    /// The store for `profile`.
    /// - Throws: what the factory throws, as a configuration ``SweepError``.
    func store(for profile: String?) async throws -> any ObjectStore {
        let key = profile ?? ""
        if let store = stores[key] { return store }
        do {
            let store = try await factory(profile)
            stores[key] = store
            return store
        } catch let error as SweepError {
            throw error
        } catch {
            throw SweepError.remote(code: "AWSConfiguration", message: "\(error)", kind: .configuration)
        }
    }
}

/// What the report needs of a record once the sweep is over: its state and what it copied.
struct RecordTally: Sendable {
    var state: TransferState
    var objectsDone: Int
    var bytesDone: Int64
    /// The Globus health class of a waiting transfer (progressing until a sweep noted otherwise).
    var globusClass: GlobusHealth.Class?

    init(_ record: TransferRecord) {
        state = record.state
        objectsDone = record.progress.objectsDone
        bytesDone = record.progress.bytesDone
        globusClass = record.state == .waiting ? record.globusHealth?.class ?? .progressing : nil
    }
}
