import CopyPTGlobus
import CopyPTRecords
import Foundation

/// Prints `copypt auth check`'s answer: one line on stdout (or one JSON object with `--json`),
/// the problem or warning on stderr. Never a token.
struct AuthCheckPrinter: Sendable {
    let json: Bool
    let quiet: Bool
    let context: CommandContext

    func print(_ outcome: AuthCheckOutcome, renewedBefore: LoginRenewal?, warning: String?) {
        let now = context.now()
        switch outcome {
        case .ok(let who):
            if json {
                context.print(JSONOutput.line(Self.object(outcome, who: who, renewedBefore: renewedBefore, warning: warning)))
            } else if !quiet {
                var line = "Globus login usable: " + WhoamiPrinter.line(who).dropFirst("Globus: ".count)
                if let renewedBefore, who.mode == .login {
                    line += "; previously renewed \(renewedBefore.days(at: now)) days ago"
                }
                context.print(line)
            }
            if let warning { context.printError("copypt auth check: warning: \(warning)") }
        case .failed(let message, _):
            if json { context.print(JSONOutput.line(Self.object(outcome, who: nil, renewedBefore: renewedBefore, warning: nil))) }
            context.printError("copypt auth check: \(message)")
        }
    }

    static func object(_ outcome: AuthCheckOutcome, who: GlobusWhoami?, renewedBefore: LoginRenewal?, warning: String?) -> [String: Any] {
        var object: [String: Any] = [
            "schema_version": JSONOutput.schemaVersion,
            "exit_status": Int(outcome.exitStatus.rawValue),
            "previously_renewed_at": renewedBefore.map { RFC3339.string(from: $0.renewedAt) } ?? NSNull(),
            "warning": warning ?? NSNull(),
        ]
        switch outcome {
        case .ok:
            object["ok"] = true
            object["status"] = "ok"
            object["mode"] = who?.mode.rawValue ?? NSNull()
            object["client_id"] = who?.clientID ?? NSNull()
            object["identity_id"] = who?.identityID ?? NSNull()
            object["identity_username"] = who?.identityUsername ?? NSNull()
            object["access_token_expires_at"] = who?.accessTokenExpiresAt.map { RFC3339.string(from: $0) } ?? NSNull()
            object["renewed_at"] = who?.refreshedAt.map { RFC3339.string(from: $0) } ?? NSNull()
        case .failed(let message, let status):
            object["ok"] = false
            object["status"] = WhoamiPrinter.problem(status)
            object["error"] = message
        }
        return object
    }
}
