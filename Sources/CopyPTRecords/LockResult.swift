/// The outcome of a non-blocking scoped lock: the body ran, or someone else holds the lock.
public enum LockResult<Value> {
    /// The lock was taken, the body ran and returned this value; the lock is released again.
    case acquired(Value)
    /// Another process (or another open of the same file in this one) holds the lock; nothing ran.
    case busy

    /// The body's value, or `nil` when the lock was busy.
    public var value: Value? {
        if case let .acquired(value) = self { return value }
        return nil
    }

    /// `true` when the lock was held elsewhere.
    public var isBusy: Bool {
        if case .busy = self { return true }
        return false
    }
}

extension LockResult: Sendable where Value: Sendable {}
extension LockResult: Equatable where Value: Equatable {}
