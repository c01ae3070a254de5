import CopyPTGlobus
import CopyPTHTTP
import CopyPTS3
import Foundation
import Logging

/// What `copypt whoami` found: the Globus side and one entry per AWS profile.
struct WhoamiReport: Sendable {
    /// One side's answer: who, or what went wrong and the exit status it calls for.
    enum Outcome<Value: Sendable>: Sendable {
        case ok(Value)
        case failed(message: String, status: ExitStatus)
    }

    /// One AWS profile's answer.
    struct AWSEntry: Sendable {
        /// The profile in effect (resolved: AWS_PROFILE or `default` for the default).
        var profile: String
        /// Where its credentials come from (`environment`, `profile lab: assume role …`), when resolved.
        var credentialSource: String?
        var outcome: Outcome<AWSCallerIdentity>
    }

    /// `nil` when Globus was not checked.
    var globus: Outcome<GlobusWhoami>?
    var aws: [AWSEntry] = []

    /// 2 when a person must act anywhere, else 75 when something was unreachable, else 1 for
    /// any other failure, else 0.
    var exitStatus: ExitStatus {
        var statuses: [ExitStatus] = []
        if case .failed(_, let status)? = globus { statuses.append(status) }
        for entry in aws { if case .failed(_, let status) = entry.outcome { statuses.append(status) } }
        for status in [ExitStatus.usage, .temporaryFailure, .failure] where statuses.contains(status) { return status }
        return .success
    }
}

/// Asks Globus and STS who copypt is, with the same settings a sweep uses.
struct WhoamiRunner: Sendable {
    let context: CommandContext
    let logger: Logger

    func run(globus checkGlobus: Bool, profiles: [String?]) async -> WhoamiReport {
        var report = WhoamiReport()
        let transports = CurlTransports(environment: context.environment)
        let transport: CurlTransport
        do {
            transport = try transports.transport(caBundle: nil)
        } catch {
            let failed = WhoamiReport.Outcome<GlobusWhoami>.failed(message: "cannot start libcurl: \(error)", status: .failure)
            report.globus = checkGlobus ? failed : nil
            return report
        }
        if checkGlobus { report.globus = await globus(transport: transport) }
        for profile in profiles { report.aws.append(await aws(profile: profile, transports: transports)) }
        return report
    }

    func globus(transport: CurlTransport) async -> WhoamiReport.Outcome<GlobusWhoami> {
        do {
            let configuration = try GlobusConfiguration.fromEnvironment(context.environment)
            let tokens = try GlobusTokenProvider.make(configuration: configuration, transport: transport, logger: logger, now: context.now)
            let client = GlobusTransferClient(configuration: configuration, transport: transport, tokens: tokens, logger: logger, now: context.now)
            return .ok(try await client.whoami())
        } catch let error as GlobusError {
            return .failed(message: error.description, status: AuthCheckOutcome.status(of: error))
        } catch {
            return .failed(message: "\(error)", status: .failure)
        }
    }

    func aws(profile: String?, transports: CurlTransports) async -> WhoamiReport.AWSEntry {
        let shown = profile ?? context.environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        let configuration: AWSConfiguration
        let transport: CurlTransport
        do {
            (configuration, transport) = try transports.aws(profile: profile, now: context.now)
        } catch {
            return .init(profile: shown, credentialSource: nil, outcome: .failed(message: "\(error)", status: .usage))
        }
        do {
            let identity = try await AWSCallerIdentity.fetch(configuration: configuration, transport: transport, now: context.now)
            return .init(profile: shown, credentialSource: configuration.credentialSource, outcome: .ok(identity))
        } catch let error as CallerIdentityError {
            return .init(
                profile: shown, credentialSource: configuration.credentialSource,
                outcome: .failed(message: error.description, status: error.isTransient ? .temporaryFailure : .usage))
        } catch {
            return .init(profile: shown, credentialSource: configuration.credentialSource, outcome: .failed(message: "\(error)", status: .failure))
        }
    }
}
