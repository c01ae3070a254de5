/// What one `copypt login` asks Globus Auth for beyond the Transfer scope: data_access consents
/// for collections, and session requirements (identities, a domain, multi-factor authentication).
///
/// The session parameters are those globus-sdk puts on the authorize URL
/// (`AuthLoginClient.oauth2_get_authorize_url`): `session_required_identities`,
/// `session_required_single_domain` (comma-joined), `session_required_mfa`, and `prompt=login`
/// so Globus Auth asks for a fresh login rather than reuse the browser's session.
public struct GlobusLoginRequest: Sendable, Equatable {
    /// Collection ids (UUIDs) whose data_access consent the login requests.
    public var collections: [String]
    /// Identity ids (UUIDs) the session must include.
    public var sessionIdentities: [String]
    /// Domains one of the session's identities must be from.
    public var sessionDomains: [String]
    /// `true` to require multi-factor authentication.
    public var mfa: Bool

    /// Creates a request; the default asks for the Transfer scope alone.
    public init(collections: [String] = [], sessionIdentities: [String] = [], sessionDomains: [String] = [], mfa: Bool = false) {
        self.collections = collections
        self.sessionIdentities = sessionIdentities
        self.sessionDomains = sessionDomains
        self.mfa = mfa
    }

    /// The `scope` of the authorize URL: ``GlobusScopes/login(dataAccessFor:)``.
    public var scope: String { GlobusScopes.login(dataAccessFor: collections) }

    /// `true` when the login must meet session requirements.
    public var needsSession: Bool { mfa || !sessionIdentities.isEmpty || !sessionDomains.isEmpty }

    /// The authorize URL's session parameters, in a fixed order; empty without requirements.
    public var sessionParameters: [(String, String)] {
        var out: [(String, String)] = []
        if !sessionIdentities.isEmpty { out.append(("session_required_identities", sessionIdentities.joined(separator: ","))) }
        if !sessionDomains.isEmpty { out.append(("session_required_single_domain", sessionDomains.joined(separator: ","))) }
        if mfa { out.append(("session_required_mfa", "true")) }
        if needsSession { out.append(("prompt", "login")) }
        return out
    }

    /// The `copypt login …` command line that makes this request.
    public var command: String {
        var words = ["copypt", "login"]
        for id in collections { words += ["--collection", id] }
        for id in sessionIdentities { words += ["--session-identity", id] }
        for domain in sessionDomains { words += ["--session-domain", domain] }
        if mfa { words.append("--mfa") }
        return words.joined(separator: " ")
    }

    /// A plain domain name: letters, digits, `-` and `.`, 1 to 253 characters.
    public static func isDomain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }
}
