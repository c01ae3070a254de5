import CopyPTGlobus
import CopyPTHTTP
import Foundation
import Logging

/// What `copypt auth check` found.
enum AuthCheckOutcome: Sendable {
    /// The tokens work; who copypt acts as.
    case ok(GlobusWhoami)
    /// They do not: the one-line reason and the exit status it calls for.
    case failed(message: String, status: ExitStatus)

    /// 0, or the failure's status.
    var exitStatus: ExitStatus {
        switch self {
        case .ok: return .success
        case .failed(_, let status): return status
        }
    }

    /// 75 for trouble that may pass (Globus unreachable or busy), 2 when a person must log in
    /// again or fix settings, else 1.
    static func status(of error: GlobusError) -> ExitStatus {
        if error.isRetryable { return .temporaryFailure }
        if error.needsLogin { return .usage }
        switch error {
        case .configuration, .tokenFile, .malformedTokenFile: return .usage
        default: return .failure
        }
    }
}

/// Renews copypt's Globus tokens and asks Transfer to accept them, with a sweep's settings.
struct AuthCheckRunner: Sendable {
    let context: CommandContext
    let logger: Logger

    func run(renew: Bool) async -> AuthCheckOutcome {
        do {
            let transport = try CurlTransports(environment: context.environment).transport(caBundle: nil)
            let configuration = try GlobusConfiguration.fromEnvironment(context.environment)
            let tokens = try GlobusTokenProvider.make(configuration: configuration, transport: transport, logger: logger, now: context.now)
            let client = GlobusTransferClient(configuration: configuration, transport: transport, tokens: tokens, logger: logger, now: context.now)
            return .ok(renew ? try await client.checkLogin() : try await client.whoami())
        } catch let error as GlobusError {
            return .failed(message: error.description, status: AuthCheckOutcome.status(of: error))
        } catch {
            return .failed(message: "\(error)", status: .failure)
        }
    }
}
