/// What Globus says about one task id in ``GlobusTransferClient/statuses(for:)``.
public enum TaskStatusResult: Sendable, Equatable {
    /// The task document (its `status`, `nice_status`, `fatal_error`, counters).
    case found(GlobusTask)
    /// `GET task/{id}` answered 404 `TaskNotFound` for the identity copypt used; the associated
    /// error is ``GlobusError/taskNotFound(taskID:identity:requestID:)``. Permanent.
    case notFound(GlobusError)

    /// The task, when found.
    public var task: GlobusTask? {
        if case .found(let task) = self { return task }
        return nil
    }
}
