import CopyPTHTTP

/// Why an S3 operation or an object copy failed.
///
/// Every case names the operation in words a user can act on, e.g.
/// `UploadPartCopy part 7/12 for s3://dest/run42/a.h5`. ``isRetryable`` decides, in this one
/// place, whether trying again later can help (5xx, throttling, timeouts, dropped connections)
/// or whether something must be fixed first (AccessDenied, NoSuchBucket, a changed source).
public enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// S3 answered with an error document (or a bare status for HEAD requests).
    /// `status` is 200 when the error came inside a 200 response (CopyObject, UploadPartCopy,
    /// CompleteMultipartUpload), which S3 documents as a failed, retryable copy.
    case service(operation: String, status: Int, code: String, message: String, requestID: String?)
    /// S3 answered with a body that could not be understood.
    case unparseableResponse(operation: String, status: Int, body: String)
    /// No response arrived: connection, DNS, TLS or timeout trouble.
    case transport(operation: String, HTTPError)
    /// Credentials could not be obtained for the request.
    case credentials(operation: String, detail: String, retryable: Bool)
    /// An `s3://bucket/key` location could not be parsed.
    case invalidLocation(String)
    /// A request that copypt will not send, e.g. a part plan beyond S3's limits.
    case invalidRequest(String)
    /// The source object is not the one seen when planning (its ETag changed or it is gone).
    case sourceChanged(source: String, expectedETag: String, actualETag: String)
    /// The copy finished, but the destination does not match the source.
    case verificationFailed(destination: String, detail: String)
    /// S3 answered with a readable document holding a value that cannot be right (a negative
    /// size, part number 0, a page marker handed back twice); not retried.
    case invalidResponse(operation: String, detail: String)

    // MARK: - Description

    public var description: String {
        switch self {
        case .service(let operation, let status, let code, let message, let requestID):
            return Self.serviceLine(operation, status, code, message, requestID, advice: Self.advice(code: code, status: status))
        case .unparseableResponse(let operation, let status, let body):
            let snippet = body.prefix(200).replacingOccurrences(of: "\n", with: " ")
            return "\(operation) failed: HTTP \(status) with an unreadable body: \(snippet)"
        case .transport(let operation, let error):
            return "\(operation) failed: \(error)"
        case .credentials(let operation, let detail, _):
            return "\(operation) failed: no usable AWS credentials: \(detail)"
        case .invalidLocation(let text):
            return "invalid S3 location \(text): write it as s3://bucket/key or s3://bucket/prefix/"
        case .invalidRequest(let detail):
            return "request not sent: \(detail)"
        case .sourceChanged(let source, let expected, let actual):
            return "source \(source) changed since it was planned (ETag \(expected), now \(actual)); "
                + "not copied: plan the copy again once the source is final"
        case .verificationFailed(let destination, let detail):
            return "verification of \(destination) failed: \(detail); the copy must be redone"
        case .invalidResponse(let operation, let detail):
            return "\(operation) failed: the answer cannot be right: \(detail); "
                + "check that the S3 endpoint (AWS_ENDPOINT_URL_S3, a proxy) is S3"
        }
    }

    /// The one line with `advice` (e.g. `" — grant …"`) in place of the general advice this
    /// error adds for some codes, for a caller that knows the buckets and options; S3's message
    /// is cut so that the line, advice and all, stays within ``serviceLineLimit`` where it can.
    public func description(advice: String) -> String {
        guard case .service(let operation, let status, let code, let message, let requestID) = self else { return description + advice }
        return Self.serviceLine(operation, status, code, message, requestID, advice: advice)
    }

    private static func serviceLine(
        _ operation: String, _ status: Int, _ code: String, _ message: String, _ requestID: String?, advice: String
    ) -> String {
        let within = status == 200 ? "200 (error inside a successful response) " : "\(status) "
        let head = "\(operation) failed: \(within)\(code)"
        let tail = (requestID.map { " (request-id \($0))" } ?? "") + advice
        guard !message.isEmpty else { return head + tail }
        return head + ": " + fitted(message, room: serviceLineLimit - head.count - tail.count - 2) + tail
    }

    /// The length a service error's line is held to by cutting S3's message: AWS's AccessDenied
    /// wording alone runs past 200 characters, and the line must stay one readable line with the
    /// command's own prefix in front of it.
    static let serviceLineLimit = 300
    /// The characters of a long message kept however long the operation's name is.
    static let messageMinimum = 32

    /// `message` on one line, cut to `room` characters (at least ``messageMinimum``) with "…".
    static func fitted(_ message: String, room: Int) -> String {
        let line = String(message.map { $0.isNewline ? " " : $0 })
        let room = max(room, messageMinimum)
        guard line.count > room else { return line }
        var kept = line.prefix(room - 1)
        while kept.last == " " { kept = kept.dropLast() }
        return String(kept) + "…"
    }

    private static func advice(code: String, status: Int) -> String {
        switch code {
        case "AccessDenied", "AllAccessDisabled":
            return "; check the IAM policy, the bucket policy and the expected bucket owners"
        case "NoSuchBucket": return "; check the bucket name"
        case "NoSuchKey": return "; the object does not exist (any more)"
        case "PreconditionFailed": return "; the source changed since it was planned"
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken":
            return "; check the AWS credentials (profile, environment)"
        default: return ""
        }
    }

    // MARK: - Classification

    /// `true` when the same request may succeed later: HTTP 500/502/503/504 and 429,
    /// S3's transient and throttling codes, an error inside a 200 response, and transport
    /// failures other than a bad URL or an untrusted certificate.
    public var isRetryable: Bool {
        switch self {
        case .service(_, let status, let code, _, _):
            return status == 200 || Self.retryableStatuses.contains(status)
                || Self.transientCodes.contains(code) || Self.throttlingCodes.contains(code)
        case .unparseableResponse(_, let status, _):
            return status == 200 || Self.retryableStatuses.contains(status)
        case .transport(_, let error):
            return error.isRetryable
        case .credentials(_, _, let retryable):
            return retryable
        case .invalidLocation, .invalidRequest, .sourceChanged, .verificationFailed, .invalidResponse:
            return false
        }
    }

    /// `true` for throttling answers (SlowDown, Throttling, 429 …), which AWS SDKs back off from.
    public var isThrottling: Bool {
        if case .service(_, let status, let code, _, _) = self {
            return status == 429 || Self.throttlingCodes.contains(code)
        }
        return false
    }

    /// `true` for answers that say too much is in flight, which adaptive concurrency backs off
    /// from: throttling, 503 (S3's SlowDown may come without a body), and connections refused
    /// or dropped.
    public var signalsOverload: Bool {
        switch self {
        case .service(_, let status, _, _, _), .unparseableResponse(_, let status, _):
            return status == 503 || status == 429 || isThrottling
        case .transport(_, .connectFailed), .transport(_, .connectionLost):
            return true
        default:
            return false
        }
    }

    /// `true` when the fix is in the user's settings, not in S3 or the data: no or rejected
    /// credentials, an endpoint that is not a usable URL, or one whose replies are longer than any
    /// S3 reply (not S3, then). Commands exit 2 for these.
    public var isConfigurationProblem: Bool {
        switch self {
        case .credentials(_, _, let retryable):
            return !retryable
        case .transport(_, .invalidURL), .transport(_, .responseTooLarge):
            return true
        case .service(_, _, let code, _, _):
            return Self.credentialCodes.contains(code)
        default:
            return false
        }
    }

    /// Codes S3 answers when the request's credentials are wrong, not its target.
    static let credentialCodes: Set<String> = ["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"]

    /// The S3 error code, when S3 sent one (`AccessDenied`, `PreconditionFailed`, …).
    public var code: String? {
        if case .service(_, _, let code, _, _) = self { return code }
        return nil
    }

    /// The HTTP status, when a response arrived.
    public var status: Int? {
        switch self {
        case .service(_, let status, _, _, _), .unparseableResponse(_, let status, _): return status
        default: return nil
        }
    }

    /// Statuses the AWS SDKs' standard retry mode treats as transient.
    static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// Transient error codes (botocore retries/standard.py).
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
    ]

    /// Throttling error codes (botocore retries/standard.py).
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
}
