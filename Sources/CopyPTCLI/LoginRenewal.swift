import CopyPTGlobus
import CopyPTRecords
import Foundation

/// When the stored Globus login was last renewed, and the warning it calls for.
///
/// Globus Auth access tokens last `expires_in` seconds (172,800, 48 hours, in globus-sdk's
/// recorded token responses); copypt renews them with the refresh token whenever it talks to
/// Globus. A refresh token left unused for long may be ended by Globus, so a copypt that has had
/// nothing to wait for in weeks should say so before the login dies.
struct LoginRenewal: Sendable, Equatable {
    /// The token file.
    var tokenFile: String
    /// The last renewal: the token file's `refreshed_at`, else its modification time (copypt
    /// rewrites the file at every login and refresh).
    var renewedAt: Date

    /// The renewal of the person's login the environment selects, or `nil` for a service
    /// account, a missing or unreadable token file, or a login without a refresh token (nothing
    /// to renew). Reads the file only; never talks to Globus.
    static func current(environment: [String: String]) -> LoginRenewal? {
        guard let configuration = try? GlobusConfiguration.fromEnvironment(environment),
              case .refreshToken(let file)? = try? configuration.authMode(),
              let tokens = try? GlobusTokenStore(path: file).load(), tokens.refreshToken != nil
        else { return nil }
        if let refreshedAt = tokens.refreshedAt { return LoginRenewal(tokenFile: file.path, renewedAt: refreshedAt) }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return LoginRenewal(tokenFile: file.path, renewedAt: modified)
    }

    /// The whole days since the renewal at `now` (0 for a renewal in the future).
    func days(at now: Date) -> Int {
        max(0, Int(now.timeIntervalSince(renewedAt) / 86_400))
    }

    /// A one-line warning when the renewal is older than `limit` at `now`, else `nil`.
    /// A `limit` of zero turns the warning off.
    func warning(at now: Date, limit: Duration) -> String? {
        let seconds = Double(limit.components.seconds)
        guard seconds > 0, now.timeIntervalSince(renewedAt) > seconds else { return nil }
        return "the Globus login was last renewed \(days(at: now)) days ago (\(RFC3339.string(from: renewedAt))); "
            + "Globus may end a refresh token left unused for long: run `copypt auth check` to renew it now "
            + "(or `copypt login` if that fails)"
    }
}
