import CopyPTCrypto
import CopyPTHTTP

/// A confidential client's id and secret (a Globus service account).
///
/// `description` shows the id only; the secret never appears in text.
public struct GlobusClientCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The client id (also the service account's identity id in Globus).
    public let clientID: String
    /// The client secret.
    public let secret: String

    /// Creates credentials.
    public init(clientID: String, secret: String) {
        self.clientID = clientID
        self.secret = secret
    }

    /// From `COPYPT_GLOBUS_CLIENT_ID` and `COPYPT_GLOBUS_CLIENT_SECRET`; `nil` unless both are set.
    public static func fromEnvironment(_ environment: [String: String]) -> GlobusClientCredentials? {
        guard let id = environment[GlobusConfiguration.EnvironmentKey.clientID], !id.isEmpty,
              let secret = environment[GlobusConfiguration.EnvironmentKey.clientSecret], !secret.isEmpty
        else { return nil }
        return GlobusClientCredentials(clientID: id, secret: secret)
    }

    /// The `Authorization: Basic …` value (RFC 6749 §2.3.1; id and secret form-encoded first).
    var basicAuthorization: String {
        let pair = PercentEncoding.form(clientID) + ":" + PercentEncoding.form(secret)
        return "Basic " + Digest.base64(Array(pair.utf8))
    }

    public var description: String { "GlobusClientCredentials(clientID: \(clientID), secret: <redacted>)" }
    public var debugDescription: String { description }
}
