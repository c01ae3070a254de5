/// Why a notification setting is refused, or a delivery failed. Descriptions never hold a
/// webhook or ping URL beyond `scheme://host/…`: their paths are secrets.
public enum NotifyError: Error, Equatable, CustomStringConvertible {
    /// `--notify-url`, `--ping-url` or `COPYPT_NOTIFY_URL` is not a usable http(s) URL.
    case invalidURL(setting: String, shown: String, reason: String)
    /// `--notify-command` cannot be split into words (an unclosed quote, nothing given).
    case invalidCommand(reason: String)
    /// The webhook answered with a status other than 2xx.
    case rejected(url: String, status: Int)
    /// The webhook or ping URL could not be reached.
    case unreachable(url: String, detail: String)
    /// The notify command could not be started.
    case commandNotStarted(program: String, detail: String)
    /// The notify command exited with a non-zero status.
    case commandFailed(program: String, status: Int32)
    /// The notify command outran its time limit and was ended.
    case commandTimedOut(program: String, seconds: Int64)

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case .invalidURL(let setting, let shown, let reason):
            "\(setting) \(shown) is not usable: \(reason); give an http:// or https:// URL."
        case .invalidCommand(let reason):
            "--notify-command cannot be split into words: \(reason); quote with ' or \" (no shell runs it)."
        case .rejected(let url, let status):
            "the webhook \(url) answered HTTP \(status); the next sweep sends it again."
        case .unreachable(let url, let detail):
            "\(url) could not be reached (\(detail)); the next sweep tries again."
        case .commandNotStarted(let program, let detail):
            "the notify command \(program) could not be started: \(detail); give a program on PATH or its full path."
        case .commandFailed(let program, let status):
            "the notify command \(program) exited with status \(status); the next sweep runs it again."
        case .commandTimedOut(let program, let seconds):
            "the notify command \(program) did not finish within \(seconds) s and was ended; the next sweep runs it again."
        }
    }
}
