import CopyPTCrypto
import CopyPTHTTP
import CopyPTS3
import Foundation
import Logging

/// A client for the two S3 Control calls a Batch Operations copy needs, `CreateJob` and
/// `DescribeJob`, over any ``HTTPTransport``: build → sign (SigV4, service `s3`, as the model's
/// `signingName` says) → send → decode errors → retry, as ``S3Client`` does for S3.
public struct S3ControlClient: Sendable {
    /// The HTTP seam.
    public let transport: any HTTPTransport
    /// Region, custom S3 Control endpoint and credentials.
    public let configuration: AWSConfiguration
    /// Decides retries (5xx, throttling, dropped connections).
    public let retryPolicy: any RetryPolicy
    let logger: Logger
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void

    /// A client.
    /// - Parameters:
    ///   - transport: the HTTP transport.
    ///   - configuration: region, ``AWSConfiguration/s3ControlEndpoint`` and credentials.
    ///   - retryPolicy: default the standard mode with the configuration's `maxAttempts`.
    ///   - logger: requests at debug, retries at info.
    ///   - now: the signing clock, default the system clock.
    ///   - sleep: how back-off delays are waited, default `Task.sleep`.
    public init(
        transport: any HTTPTransport, configuration: AWSConfiguration, retryPolicy: (any RetryPolicy)? = nil, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.transport = transport
        self.configuration = configuration
        self.retryPolicy = retryPolicy ?? ExponentialRetryPolicy.standard(maxAttempts: configuration.maxAttempts)
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    /// The largest S3 Control answer read: a DescribeJob document is a few kilobytes.
    static let replyLimit = 1 << 20

    /// CreateJob; the same ``BatchJobSpec/clientRequestToken`` answers the same job id.
    /// - Returns: the job id.
    /// - Throws: ``S3Error`` (`IdempotencyException`, `BadRequestException`, …).
    public func createJob(_ spec: BatchJobSpec) async throws -> String {
        let operation = "CreateJob \(spec.clientRequestToken)"
        return try await perform(
            operation: operation, method: .post, accountID: spec.accountID, path: "/v20180820/jobs", body: Array(spec.xml.utf8)
        ) { (body: [UInt8]) -> String? in
            guard let root = S3XMLElement.parse(body), root.isNamed("CreateJobResult"), let id = root.string("JobId"),
                  Self.isJobID(id)
            else { return nil }
            return id
        }
    }

    /// DescribeJob.
    /// - Throws: ``S3Error`` (`NotFoundException` for an unknown job).
    public func describeJob(accountID: String, jobID: String) async throws -> BatchJobStatus {
        let operation = "DescribeJob \(jobID)"
        guard Self.isJobID(jobID) else {
            throw S3Error.invalidRequest("\(operation): a job id is 5–36 letters, digits, - or _; check the record's batch.job_id")
        }
        return try await perform(operation: operation, method: .get, accountID: accountID, path: "/v20180820/jobs/\(jobID)", body: []) { (body: [UInt8]) -> BatchJobStatus? in
            do {
                return try BatchJobStatus(xml: body)
            } catch let error as BatchReplyError {
                throw S3Error.invalidResponse(operation: operation, detail: error.detail)
            }
        }
    }

    /// `true` for a job id of the model's `JobId` shape: 5–36 of `[a-zA-Z0-9-_]`.
    static func isJobID(_ id: String) -> Bool {
        (5...36).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
    }

    // MARK: - Pipeline

    func perform<Result>(
        operation: String, method: HTTPMethod, accountID: String, path: String, body: [UInt8],
        decode: ([UInt8]) throws -> Result?
    ) async throws -> Result {
        var attempt = 1
        while true {
            try Task.checkCancellation()
            do {
                let response = try await send(operation: operation, method: method, accountID: accountID, path: path, body: body)
                guard let result = try decode(response.body) else {
                    throw S3Error.unparseableResponse(operation: operation, status: response.status, body: String(response.bodyText.prefix(200)))
                }
                return result
            } catch let error as S3Error {
                guard let delay = retryPolicy.delay(for: error, attempt: attempt) else { throw error }
                logger.info("retrying after \(delay): \(error)", metadata: ["attempt": "\(attempt)"])
                try await sleep(delay)
                attempt += 1
            }
        }
    }

    private func send(operation: String, method: HTTPMethod, accountID: String, path: String, body: [UInt8]) async throws -> HTTPResponse {
        let credentials: AWSCredentials
        do {
            credentials = try await configuration.credentialProvider.credentials()
        } catch let error as CancellationError {
            throw error
        } catch {
            throw S3Error.credentials(operation: operation, detail: "\(error)", retryable: false)
        }
        let base = S3ControlEndpoint.baseURL(accountID: accountID, region: configuration.region, custom: configuration.s3ControlEndpoint)
        var request = HTTPRequest(method: method, url: base + path, timeout: .seconds(300), maxResponseBytes: Self.replyLimit)
        request.headers.add(name: "x-amz-account-id", value: accountID)
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/xml")
            request.body = body
        }
        let payloadHash = body.isEmpty ? SigV4Signer.emptyPayloadHash : Digest.sha256Hex(body)
        let signed = SigV4Signer(credentials: credentials, region: configuration.region, service: "s3")
            .signed(request, payloadHash: payloadHash, at: now())
        let response: HTTPResponse
        do {
            response = try await transport.send(signed)
        } catch let error as HTTPError {
            throw S3Error.transport(operation: operation, error)
        }
        logger.debug("\(method) \(operation): \(response.status)")
        guard response.isSuccess else { throw Self.error(in: response, operation: operation) }
        return response
    }

    /// The error an S3 Control answer stands for: `<ErrorResponse><Error><Code/>…` (rest-xml) or a bare `<Error>`.
    static func error(in response: HTTPResponse, operation: String) -> S3Error {
        let requestID = response.headers["x-amz-request-id"]
        if let root = S3XMLElement.parse(response.body) {
            let error = root.isNamed("Error") ? root : root.child("Error")
            if let error, let code = error.string("Code") {
                return .service(
                    operation: operation, status: response.status, code: code, message: error.string("Message") ?? "",
                    requestID: root.string("RequestId") ?? error.string("RequestId") ?? requestID)
            }
        }
        let text = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty { return .unparseableResponse(operation: operation, status: response.status, body: String(text.prefix(200))) }
        let code = response.status == 404 ? "NotFoundException" : response.status == 403 ? "AccessDenied" : "HTTP\(response.status)"
        return .service(operation: operation, status: response.status, code: code, message: "", requestID: requestID)
    }
}
