/// copypt's exit statuses, the same for every command (listed in `copypt --help`).
public enum ExitStatus: Int32, Sendable {
    /// Success, including "nothing to do".
    case success = 0
    /// A transfer failed permanently (the message says why; `copypt retry` re-queues it).
    case failure = 1
    /// Usage or configuration error; nothing was changed.
    case usage = 2
    /// Only transient trouble (network, throttling, 5xx, a record busy in another process):
    /// the next run retries. `EX_TEMPFAIL` from sysexits.h.
    case temporaryFailure = 75
}
