import CopyPTGlobus
import CopyPTRecords
import CopyPTS3
import Foundation

/// Prints a ``WhoamiReport``: one line per answer on stdout and one per problem on stderr, or
/// one JSON object on stdout (problems on stderr as well). Never a token or key.
struct WhoamiPrinter: Sendable {
    let json: Bool
    let context: CommandContext

    func print(_ report: WhoamiReport) {
        if json {
            context.print(SweepPrinter.encode(Self.jsonObject(report)))
        } else {
            if let globus = report.globus, case .ok(let who) = globus { context.print(Self.line(who)) }
            for entry in report.aws {
                if case .ok(let identity) = entry.outcome { context.print(Self.line(identity, entry: entry)) }
            }
        }
        if case .failed(let message, _)? = report.globus { context.printError("copypt whoami: Globus: \(message)") }
        for entry in report.aws {
            if case .failed(let message, _) = entry.outcome { context.printError("copypt whoami: AWS profile \(entry.profile): \(message)") }
        }
    }

    // MARK: - Text

    static func line(_ who: GlobusWhoami) -> String {
        let expiry = who.accessTokenExpiresAt.map { "access token valid until \(RFC3339.string(from: $0))" } ?? "access token expiry unknown"
        switch who.mode {
        case .login:
            let person: String
            if let username = who.identityUsername, let id = who.identityID {
                person = "\(username) (identity \(id))"
            } else {
                person = "an identity not recorded at login (run `copypt login` again to record it)"
            }
            let renew = who.renewable ? "renewed with the stored refresh token" : "no refresh token: `copypt login` again before then"
            return "Globus: logged in as \(person) through client \(who.clientID ?? "?"); \(expiry), \(renew)"
        case .clientCredentials:
            return "Globus: service account \(who.identityUsername ?? who.clientID ?? "?") (client \(who.clientID ?? "?")); \(expiry), renewed with the client secret"
        case .accessToken:
            return "Globus: a fixed access token"
        }
    }

    static func line(_ identity: AWSCallerIdentity, entry: WhoamiReport.AWSEntry) -> String {
        let source = entry.credentialSource.map { "; credentials from \($0)" } ?? ""
        return "AWS profile \(entry.profile): \(identity.arn) (account \(identity.account))\(source)"
    }

    // MARK: - JSON

    static func jsonObject(_ report: WhoamiReport) -> [String: Any] {
        var object: [String: Any] = ["exit_status": Int(report.exitStatus.rawValue)]
        switch report.globus {
        case .ok(let who)?:
            var globus: [String: Any] = ["ok": true, "mode": who.mode.rawValue, "renewable": who.renewable]
            globus["client_id"] = who.clientID ?? NSNull()
            globus["identity_id"] = who.identityID ?? NSNull()
            globus["identity_username"] = who.identityUsername ?? NSNull()
            globus["access_token_expires_at"] = who.accessTokenExpiresAt.map { RFC3339.string(from: $0) } ?? NSNull()
            globus["token_file"] = who.tokenFile ?? NSNull()
            object["globus"] = globus
        case .failed(let message, let status)?:
            object["globus"] = ["ok": false, "error": message, "status": problem(status)]
        case nil:
            object["globus"] = NSNull()
        }
        object["aws"] = report.aws.map { entry -> [String: Any] in
            var item: [String: Any] = ["profile": entry.profile, "credential_source": entry.credentialSource ?? NSNull()]
            switch entry.outcome {
            case .ok(let identity):
                item["ok"] = true
                item["account"] = identity.account
                item["arn"] = identity.arn
                item["user_id"] = identity.userID
            case .failed(let message, let status):
                item["ok"] = false
                item["error"] = message
                item["status"] = problem(status)
            }
            return item
        }
        return object
    }

    /// `login_required` (2), `unreachable` (75), `error` (1).
    static func problem(_ status: ExitStatus) -> String {
        switch status {
        case .usage: return "login_required"
        case .temporaryFailure: return "unreachable"
        default: return "error"
        }
    }
}
