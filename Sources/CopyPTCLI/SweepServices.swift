import CopyPTBatch
import CopyPTGlobus
import CopyPTHTTP
import CopyPTRecords
import CopyPTS3
import CopyPTSweep
import Foundation
import Logging

/// The real services a sweep talks to, made from the environment only when first needed, so
/// a sweep with nothing to do starts fast and needs no Globus login or AWS credentials.
///
/// Globus is reached with the system's CAs; S3 (and STS, the container endpoint, instance
/// metadata) with `AWS_CA_BUNDLE` or the profile's `ca_bundle` when set, as `copypt copy` does.
final class SweepServices: @unchecked Sendable {
    private let environment: [String: String]
    private let configuration: SweepConfiguration
    private let transports: CurlTransports
    private let logger: Logger
    fileprivate let lock = NSLock()
    private var globus: Result<GlobusTaskStatusSource, any Error>?
    /// Called after Globus accepted a submission, before the record knows (a test hook).
    private let afterSubmit: (@Sendable () -> Void)?
    fileprivate var answered = false
    fileprivate var loginFailed = false

    /// `true` once Globus answered a status request in this process.
    var globusAnswered: Bool { lock.withLock { answered } }
    /// `true` once a status request failed because the Globus login is broken.
    var globusLoginFailed: Bool { lock.withLock { loginFailed } }

    /// - Parameter requestTimeout: every request's whole-request limit (`COPYPT_HTTP_TIMEOUT`),
    ///   or `nil` for the transport's default.
    init(
        environment: [String: String], configuration: SweepConfiguration, requestTimeout: Duration? = nil, logger: Logger,
        afterSubmit: (@Sendable () -> Void)? = nil
    ) {
        self.environment = environment
        self.afterSubmit = afterSubmit
        self.configuration = configuration
        // A fixed width is per transfer (several copy at once); the adaptive cap is the whole budget.
        let width = configuration.adaptiveConcurrency.map { $0.maximum + 8 } ?? configuration.concurrency * 2
        var settings = CurlTransport.Configuration(maxConcurrentRequests: max(64, width))
        if let requestTimeout { settings.requestTimeout = requestTimeout }
        self.transports = CurlTransports(environment: environment, settings: settings)
        self.logger = logger
    }

    /// Globus Transfer through the configured token source.
    /// - Throws: a configuration ``SweepError`` when Globus settings or login are missing.
    func globusSource() throws -> GlobusTaskStatusSource {
        let transport = try transports.transport(caBundle: nil)
        return try lock.withLock {
            if let globus { return try globus.get() }
            let made = Result { () throws -> GlobusTaskStatusSource in
                do {
                    let settings = try GlobusConfiguration.fromEnvironment(environment)
                    let tokens = try GlobusTokenProvider.make(configuration: settings, transport: transport, logger: logger)
                    let client = GlobusTransferClient(configuration: settings, transport: transport, tokens: tokens, logger: logger)
                    return GlobusTaskStatusSource(client: client)
                } catch let error as GlobusError {
                    throw SweepError.remote(code: "GlobusConfiguration", message: error.description, kind: .configuration)
                }
            }
            globus = made
            return try made.get()
        }
    }

    /// The S3 side for an AWS profile, resolved like the AWS CLI (env, shared files, `--profile`).
    func objectStore(profile: String?) throws -> any ObjectStore {
        do {
            let aws = try transports.aws(profile: profile)
            let client = S3Client(transport: aws.transport, configuration: aws.configuration, logger: logger)
            return S3ObjectStore(client: client, configuration: configuration, logger: logger)
        } catch {
            let who = profile.map { "AWS profile \($0)" } ?? "the AWS configuration"
            throw SweepError.remote(
                code: "AWSConfiguration", message: "cannot use \(who): \(error)", kind: .configuration)
        }
    }

    /// The S3 Batch Operations side for an AWS profile: S3 for the manifest and report, S3 Control
    /// (`AWS_ENDPOINT_URL_S3_CONTROL`, else AWS's endpoint) for the job.
    func batchService(profile: String?) throws -> any BatchService {
        do {
            let aws = try transports.aws(profile: profile)
            let client = S3Client(transport: aws.transport, configuration: aws.configuration, logger: logger)
            let control = S3ControlClient(transport: aws.transport, configuration: aws.configuration, logger: logger)
            return S3BatchService(client: client, control: control)
        } catch {
            let who = profile.map { "AWS profile \($0)" } ?? "the AWS configuration"
            throw SweepError.remote(code: "AWSConfiguration", message: "cannot use \(who): \(error)", kind: .configuration)
        }
    }

    /// A ``TaskStatusSource`` that makes the Globus client on first use.
    var lazyTaskSource: some TaskStatusSource { LazyTaskSource(services: self) }

    private struct LazyTaskSource: TaskStatusSource {
        let services: SweepServices

        func statuses(for taskIDs: [String]) async throws -> [String: TaskStatus] {
            do {
                let statuses = try await services.globusSource().statuses(for: taskIDs)
                services.lock.withLock { services.answered = true }
                return statuses
            } catch {
                if SweepNotices.loginCodes.contains(Sweeper.sweepError(error).code) {
                    services.lock.withLock { services.loginFailed = true }
                }
                throw error
            }
        }

        func deliveredPaths(taskID: String, onPage: ([String]) async throws -> Void) async throws -> Bool {
            try await services.globusSource().deliveredPaths(taskID: taskID, onPage: onPage)
        }

        func latestFault(taskID: String) async throws -> String? {
            try await services.globusSource().latestFault(taskID: taskID)
        }

        func pauseReason(taskID: String) async throws -> String? {
            try await services.globusSource().pauseReason(taskID: taskID)
        }

        func submit(_ record: TransferRecord) async throws -> String {
            let taskID = try await services.globusSource().submit(record)
            services.afterSubmit?()
            return taskID
        }
    }
}
