import CopyPTCrypto

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

    /// The `Authorization: Basic …` value: base64 of `client_id:client_secret` exactly as they
    /// are, as globus-sdk sends it (`globus_sdk/authorizers/basic.py`) and Globus Auth expects.
    /// RFC 6749 §2.3.1 would form-encode both first, but Globus Auth then refuses a real secret
    /// holding `+`, `/` or `=` with 401 invalid_client.
    var basicAuthorization: String {
        "Basic " + Digest.base64(Array((clientID + ":" + secret).utf8))
    }

    public var description: String { "GlobusClientCredentials(clientID: \(clientID), secret: <redacted>)" }
    public var debugDescription: String { description }
}
