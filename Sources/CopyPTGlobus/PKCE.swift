import CopyPTCrypto

/// A PKCE pair for the OAuth2 native-app flow (RFC 7636): a random verifier and its
/// S256 challenge.
///
/// The verifier stays in this process; only the challenge goes into the login URL.
/// `description` never shows the verifier.
public struct PKCE: Sendable, Equatable, CustomStringConvertible {
    /// The code verifier: 43–128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1).
    public let verifier: String
    /// `BASE64URL(SHA256(ASCII(verifier)))` without padding (RFC 7636 §4.2, "S256").
    public let challenge: String
    /// Always `S256`; copypt never uses `plain`.
    public var method: String { "S256" }

    /// Wraps a known verifier.
    /// - Throws: ``GlobusError/configuration(_:)`` when it breaks RFC 7636 §4.1.
    public init(verifier: String) throws {
        guard (43...128).contains(verifier.utf8.count),
              verifier.utf8.allSatisfy({ Self.allowed.contains($0) })
        else {
            throw GlobusError.configuration("a PKCE code verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~")
        }
        self.verifier = verifier
        self.challenge = Self.challenge(for: verifier)
    }

    /// A fresh pair: the verifier is base64url of 32 random bytes (43 characters), as
    /// globus-sdk's native-app flow and RFC 7636 §4.1 recommend.
    /// - Parameter randomBytes: the byte source, `Digest.randomBytes` unless a test fixes it.
    public static func generate(randomBytes: (Int) -> [UInt8] = Digest.randomBytes) -> PKCE {
        let verifier = Digest.base64url(randomBytes(32))
        return PKCE(trusted: verifier)
    }

    /// The S256 challenge of `verifier`.
    public static func challenge(for verifier: String) -> String {
        Digest.base64url(Digest.sha256(verifier))
    }

    public var description: String { "PKCE(method: S256, challenge: \(challenge), verifier: <redacted>)" }

    private init(trusted verifier: String) {
        self.verifier = verifier
        self.challenge = Self.challenge(for: verifier)
    }

    private static let allowed: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))
}
