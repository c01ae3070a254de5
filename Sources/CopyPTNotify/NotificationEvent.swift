/// What a notification is about: a final outcome, or a waiting transfer's Globus task entering
/// a class a person should act on.
public enum NotificationEvent: String, Sendable, CaseIterable, Equatable {
    /// Every object was copied and verified.
    case done
    /// The transfer failed for a reason a person must fix.
    case failed
    /// `copypt cancel` cancelled it.
    case cancelled
    /// The Globus task made no progress for `--stall-after`.
    case stalled
    /// The Globus task is meeting faults.
    case faulting
    /// An endpoint's credentials expired: the collection needs reactivating.
    case inactive
    /// The Globus task's deadline is less than a day away.
    case deadlineNear = "deadline_near"

    /// `true` for done, failed and cancelled.
    public var isFinal: Bool { self == .done || self == .failed || self == .cancelled }
}
