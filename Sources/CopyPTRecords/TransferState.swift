/// Where a transfer is in its life.
///
/// ```
/// submitting ──▶ waiting ──▶ copying ──▶ done
///      │            │           │
///      └───────────▶└──▶ failed ◀┘        (any but done) ──▶ cancelled
/// ```
/// `retry` takes `failed` or `cancelled` back to `submitting` (no Globus task yet), `waiting`
/// or `copying`.
public enum TransferState: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// `copypt transfer` wrote the record and is submitting its Globus task (the record's
    /// `submission` holds the `submission_id`); the sweep re-submits until Globus answers.
    case submitting
    /// The Globus task has not finished yet.
    case waiting
    /// The Globus task succeeded; the server-side copy is under way.
    case copying
    /// Every object was copied and verified.
    case done
    /// Stopped for a reason a person must fix; `copypt retry` re-queues it.
    case failed
    /// Cancelled by `copypt cancel`; the sweep leaves it alone.
    case cancelled

    /// `true` for the states a sweep still has work to do in (`submitting`, `waiting`, `copying`).
    public var isActive: Bool { self == .submitting || self == .waiting || self == .copying }

    /// The state's on-disk name.
    public var description: String { rawValue }
}
