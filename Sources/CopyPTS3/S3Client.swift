import CopyPTCrypto
import CopyPTHTTP
import Foundation
import Logging

/// An S3 client for the calls a server-side copy needs, over any ``HTTPTransport``.
///
/// Each call is built, addressed to the bucket's region, signed with fresh credentials
/// from the provider, sent, decoded (S3 error documents become ``S3Error``) and retried
/// under the ``RetryPolicy``. The client is a value; the only shared state (the cache of
/// bucket regions and the request counter) lives in reference types made for concurrency.
public struct S3Client: Sendable {
    /// The HTTP seam.
    public let transport: any HTTPTransport
    /// Region, endpoint, addressing style and credentials.
    public let configuration: AWSConfiguration
    /// Decides retries.
    public let retryPolicy: any RetryPolicy
    package let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let regions: BucketRegionCache
    let counter: RequestCounter
    /// The configuration's addressing, made once: it splits the endpoint URL.
    let addressing: S3Addressing
    /// The adaptive limiter told of every answer (set by an adaptive ``S3Copier``), or `nil`.
    var loadLimiter: ConcurrencyLimiter?

    /// Creates a client.
    /// - Parameters:
    ///   - transport: the HTTP transport (``CurlTransport`` in production).
    ///   - configuration: region, S3 endpoint, addressing style and credential provider
    ///     (asked before each request). With a custom endpoint every bucket uses the
    ///     configured region; on AWS each bucket's region is found once with HeadBucket.
    ///   - retryPolicy: the retry policy, default the standard mode with the configuration's
    ///     `maxAttempts` (`AWS_MAX_ATTEMPTS`, default 3).
    ///   - logger: where requests are logged at debug level and retries at info.
    ///   - now: the clock used to sign, default the system clock.
    ///   - sleep: how back-off delays are waited, default `Task.sleep`.
    public init(
        transport: any HTTPTransport,
        configuration: AWSConfiguration,
        retryPolicy: (any RetryPolicy)? = nil,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        self.configuration = configuration
        self.retryPolicy = retryPolicy ?? ExponentialRetryPolicy.standard(maxAttempts: configuration.maxAttempts)
        self.logger = logger
        self.now = now
        self.sleep = sleep
        self.regions = BucketRegionCache()
        self.counter = RequestCounter()
        self.addressing = configuration.addressing
    }

    /// `true` when requests go to AWS itself (no custom endpoint), where buckets have their own regions.
    var isAWS: Bool { configuration.s3Endpoint == nil }

    /// How many HTTP requests this client (and its copies) has sent, retries included.
    public var requestCount: Int { counter.value }

    // MARK: - Pipeline

    /// Sends `operation` with retries and returns the successful response.
    /// - Throws: ``S3Error``, or `CancellationError` when the task is cancelled.
    func perform(_ operation: S3Operation) async throws -> HTTPResponse {
        try await perform(operation) { $0 }
    }

    /// Sends `operation` with retries and decodes the successful response with `decode`;
    /// a body `decode` cannot read counts as a failed attempt (retried when the status was 200,
    /// since S3 may cut a long-running copy's answer short).
    /// - Throws: ``S3Error``, or `CancellationError` when the task is cancelled.
    /// A value the reader refuses (``S3ReplyValueError``) is ``S3Error/invalidResponse(operation:detail:)``, not retried.
    func perform<Result>(_ operation: S3Operation, decode: (HTTPResponse) throws(S3ReplyValueError) -> Result?) async throws -> Result {
        var attempt = 1
        var redirected = false
        while true {
            try Task.checkCancellation()
            do {
                let response: HTTPResponse
                do {
                    response = try await send(operation)
                    loadLimiter?.record(.completed)
                } catch let error as S3Error {
                    loadLimiter?.record(error.signalsOverload ? .overloaded : .completed)
                    throw error
                }
                let decoded: Result?
                do {
                    decoded = try decode(response)
                } catch {
                    throw S3Error.invalidResponse(operation: operation.name, detail: error.detail)
                }
                guard let result = decoded else { throw Self.unreadable(response, for: operation) }
                return result
            } catch let error as S3Error {
                if !redirected, isAWS, error.status == 301 {
                    redirected = true
                    continue
                }
                guard let delay = retryPolicy.delay(for: error, attempt: attempt) else { throw error }
                logger.info("retrying after \(delay): \(error)", metadata: ["attempt": "\(attempt)"])
                try await sleep(delay)
                attempt += 1
            }
        }
    }

    /// One attempt: address, sign, send, decode.
    private func send(_ operation: S3Operation) async throws -> HTTPResponse {
        let region = operation.isRegionProbe ? configuration.region : try await region(for: operation.bucket)
        let credentials: AWSCredentials
        do {
            credentials = try await configuration.credentialProvider.credentials()
        } catch let error as CancellationError {
            throw error
        } catch {
            throw S3Error.credentials(operation: operation.name, detail: "\(error)", retryable: Self.isTransient(error))
        }
        var request = HTTPRequest(
            method: operation.method, url: url(for: operation, region: region),
            timeout: operation.timeout, maxResponseBytes: operation.maxResponseBytes)
        for (name, value) in operation.headers { request.headers.add(name: name, value: value) }
        let payloadHash: String
        if operation.body.isEmpty {
            payloadHash = SigV4Signer.emptyPayloadHash
        } else {
            request.body = operation.body
            payloadHash = Digest.sha256Hex(operation.body)
        }
        let signed = SigV4Signer(credentials: credentials, region: region, service: "s3")
            .signed(request, payloadHash: payloadHash, at: now())
        counter.increment()
        let response: HTTPResponse
        do {
            response = try await transport.send(signed)
        } catch let error as HTTPError {
            throw S3Error.transport(operation: operation.name, error)
        }
        logger.debug("\(operation.method) \(operation.name): \(response.status)")
        if operation.isRegionProbe, response.headers["x-amz-bucket-region"] != nil { return response }
        if let error = Self.error(in: response, for: operation) {
            if response.status == 301, isAWS {
                if let actual = response.headers["x-amz-bucket-region"] {
                    await regions.set(actual, for: operation.bucket)
                } else {
                    await regions.forget(operation.bucket)
                }
            }
            throw error
        }
        return response
    }

    /// The URL of `operation` for a bucket in `region` (path-style or virtual-hosted, see ``S3Addressing``).
    func url(for operation: S3Operation, region: String) -> String {
        addressing.with(region: region).url(
            bucket: operation.bucket,
            encodedKey: operation.key.map(S3PathEncoding.encodeKey) ?? "",
            query: operation.encodedQuery)
    }

    // MARK: - Errors

    /// `true` for credential failures that may pass: an unreachable source, STS 5xx or throttling.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as CredentialError:
            switch error {
            case .unreachable: return true
            case .assumeRoleFailed(_, let status, let code, _, _):
                return S3Error.retryableStatuses.contains(status) || S3Error.throttlingCodes.contains(code)
            default: return false
            }
        case let error as HTTPError: return error.isRetryable
        default: return false
        }
    }

    /// The error a response stands for, or `nil` when it is a success.
    static func error(in response: HTTPResponse, for operation: S3Operation) -> S3Error? {
        let requestID = response.headers["x-amz-request-id"]
        if response.isSuccess {
            guard operation.errorMayComeIn200, let document = S3ErrorDocument(response.body) else { return nil }
            return .service(
                operation: operation.name, status: response.status, code: document.code,
                message: document.message, requestID: document.requestID ?? requestID)
        }
        if let document = S3ErrorDocument(response.body) {
            return .service(
                operation: operation.name, status: response.status, code: document.code,
                message: document.message, requestID: document.requestID ?? requestID)
        }
        let trimmed = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.isEmpty else {
            return .unparseableResponse(operation: operation.name, status: response.status, body: trimmed)
        }
        let code: String
        switch response.status {
        case 301: code = "PermanentRedirect"
        case 304: code = "NotModified"
        case 400: code = "BadRequest"
        case 403: code = "AccessDenied"
        case 404: code = operation.notFoundCode
        case 412: code = "PreconditionFailed"
        case 503: code = "ServiceUnavailable"
        default: code = "HTTP\(response.status)"
        }
        return .service(operation: operation.name, status: response.status, code: code, message: "", requestID: requestID)
    }

    /// An ``S3Error`` for a success response whose body is not what the operation returns.
    static func unreadable(_ response: HTTPResponse, for operation: S3Operation) -> S3Error {
        .unparseableResponse(operation: operation.name, status: response.status, body: response.bodyText)
    }
}
