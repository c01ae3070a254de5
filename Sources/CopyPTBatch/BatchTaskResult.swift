/// One task of a completion report (`Report_CSV_20180820`): the object, how its task ended and why.
public struct BatchTaskResult: Sendable, Hashable {
    /// The object's bucket.
    public var bucket: String
    /// The object's key, decoded.
    public var key: String
    /// `succeeded` or `failed`.
    public var status: String
    /// The task's HTTP status, when given (e.g. 403, 500).
    public var httpStatus: Int?
    /// The error code, e.g. `AccessDenied`, `InternalError`.
    public var errorCode: String
    /// The result message, one line.
    public var message: String

    /// A task result.
    public init(bucket: String, key: String, status: String, httpStatus: Int?, errorCode: String, message: String) {
        self.bucket = bucket
        self.key = key
        self.status = status
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.message = message
    }

    /// `true` when copying the object again may succeed: a 5xx, throttling or a timeout.
    /// Anything else (403 AccessDenied, 404 NoSuchKey, 400 InvalidRequest) is permanent.
    public var isRetryable: Bool {
        if let httpStatus, httpStatus >= 500 || httpStatus == 429 { return true }
        return ["InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout", "Throttling", "TooManyRequests"].contains(errorCode)
    }

    /// `key: code (status): message`, for a failure reason.
    public var summary: String {
        let status = httpStatus.map { " (\($0))" } ?? ""
        return "\(key): \(errorCode)\(status)" + (message.isEmpty ? "" : ": \(message)")
    }
}
