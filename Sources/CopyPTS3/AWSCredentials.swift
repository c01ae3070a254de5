import Foundation

/// An AWS access key pair, with the session token and expiry of temporary credentials.
///
/// The `description` never shows the secret key or the session token, so a value can be
/// logged or interpolated into an error without leaking anything.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key id, e.g. `AKIDEXAMPLE`.
    public var accessKeyID: String
    /// The secret access key. Never printed.
    public var secretAccessKey: String
    /// The session token of temporary credentials (STS, SSO, container, IMDS). Never printed.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    /// Creates credentials.
    /// - Parameters:
    ///   - accessKeyID: the access key id.
    ///   - secretAccessKey: the secret access key.
    ///   - sessionToken: the session token of temporary credentials, default none.
    ///   - expiration: when temporary credentials expire, default never.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// A redacted rendering: the access key id's last four characters, whether a session
    /// token is present, and the expiry. Never the secret or the token.
    public var description: String {
        var text = "AWSCredentials(accessKeyID: \(Self.redact(accessKeyID)), secretAccessKey: <redacted>"
        text += sessionToken == nil ? ", sessionToken: none" : ", sessionToken: <redacted>"
        if let expiration {
            text += ", expiration: \(expiration.formatted(.iso8601))"
        }
        return text + ")"
    }

    /// The cap on a reply from a credential source (STS, the container endpoint, instance
    /// metadata): credentials and their error documents are a few KiB.
    static let replyLimit = 64 << 10

    /// `****` plus the last four characters of an access key id (all stars when it is short).
    static func redact(_ accessKeyID: String) -> String {
        accessKeyID.count > 4 ? "****" + String(accessKeyID.suffix(4)) : "****"
    }

    /// `true` when the credentials have an expiry that is at most `margin` after `now`.
    /// - Parameters:
    ///   - now: the current time.
    ///   - margin: how long before the expiry they count as expiring, default none.
    public func isExpiring(at now: Date, within margin: TimeInterval = 0) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }
}

// MARK: - Environment

extension AWSCredentials {
    /// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional
    /// `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`), as the AWS CLI reads them.
    /// - Parameter environment: the process environment.
    /// - Returns: the credentials, or `nil` when the key id or the secret is missing or empty.
    public static func fromEnvironment(_ environment: [String: String]) -> AWSCredentials? {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
              let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["AWS_SECURITY_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }
}
