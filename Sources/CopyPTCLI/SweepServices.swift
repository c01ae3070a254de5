import CopyPTGlobus
import CopyPTHTTP
import CopyPTS3
import CopyPTSweep
import Foundation
import Logging

/// The real services a sweep talks to, made from the environment only when first needed, so
/// a sweep with nothing to do starts fast and needs no Globus login or AWS credentials.
final class SweepServices: @unchecked Sendable {
    private let environment: [String: String]
    private let configuration: SweepConfiguration
    private let logger: Logger
    private let lock = NSLock()
    private var transport: Result<CurlTransport, any Error>?
    private var globus: Result<GlobusTaskStatusSource, any Error>?

    init(environment: [String: String], configuration: SweepConfiguration, logger: Logger) {
        self.environment = environment
        self.configuration = configuration
        self.logger = logger
    }

    /// The one libcurl transport all clients share (connection reuse).
    func sharedTransport() throws -> CurlTransport {
        try lock.withLock {
            if let transport { return try transport.get() }
            let made = Result {
                try CurlTransport(configuration: .init(maxConcurrentRequests: max(64, configuration.concurrency * 2)))
            }
            transport = made
            return try made.get()
        }
    }

    /// Globus Transfer through the configured token source.
    /// - Throws: a configuration ``SweepError`` when Globus settings or login are missing.
    func globusSource() throws -> GlobusTaskStatusSource {
        let transport = try sharedTransport()
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
        let transport = try sharedTransport()
        do {
            let aws = try AWSConfiguration.resolve(environment: environment, profile: profile, transport: transport)
            let client = S3Client(transport: transport, configuration: aws, logger: logger)
            return S3ObjectStore(client: client, configuration: configuration, logger: logger)
        } catch {
            let who = profile.map { "AWS profile \($0)" } ?? "the AWS configuration"
            throw SweepError.remote(
                code: "AWSConfiguration", message: "cannot use \(who): \(error)", kind: .configuration)
        }
    }

    /// A ``TaskStatusSource`` that makes the Globus client on first use.
    var lazyTaskSource: some TaskStatusSource { LazyTaskSource(services: self) }

    private struct LazyTaskSource: TaskStatusSource {
        let services: SweepServices

        func statuses(for taskIDs: [String]) async throws -> [String: TaskStatus] {
            try await services.globusSource().statuses(for: taskIDs)
        }

        func deliveredPaths(taskID: String, onPage: ([String]) async throws -> Void) async throws -> Bool {
            try await services.globusSource().deliveredPaths(taskID: taskID, onPage: onPage)
        }
    }
}
