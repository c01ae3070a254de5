import Foundation

/// What Globus Auth must grant before Globus does an operation, as a Transfer error document
/// names it: consent to more scopes (`ConsentRequired`, e.g. a collection's data_access) and/or
/// a new login session (particular identities, a domain, multi-factor authentication, policies).
///
/// Read from both shapes globus-sdk knows (`gare/_variants.py`, `exc/err_info.py`): Transfer's
/// own, with `required_scopes` at the top (`LegacyConsentRequiredTransferError`), and the
/// Globus Auth Requirements Error, with `authorization_parameters.{required_scopes,
/// session_required_identities, session_required_single_domain, session_required_policies,
/// session_required_mfa, session_message}`.
public struct GlobusAuthorizationRequirement: Sendable, Equatable {
    /// The error code, e.g. `ConsentRequired`.
    public var code: String
    /// Globus's message, on one line.
    public var message: String
    /// Globus's request id, if sent.
    public var requestID: String?
    /// Scope strings Globus needs consent for.
    public var requiredScopes: [String]
    /// Collections whose data_access consent ``requiredScopes`` names (UUIDs, lowercased).
    public var collectionIDs: [String]
    /// Identities the session must include.
    public var sessionRequiredIdentities: [String]
    /// Domains one of the session's identities must be from.
    public var sessionRequiredSingleDomain: [String]
    /// Globus Auth policies the session must meet.
    public var sessionRequiredPolicies: [String]
    /// `true` when the session must have used multi-factor authentication.
    public var sessionRequiredMFA: Bool

    /// Creates a requirement; every list defaults to empty.
    public init(
        code: String, message: String, requestID: String? = nil, requiredScopes: [String] = [],
        sessionRequiredIdentities: [String] = [], sessionRequiredSingleDomain: [String] = [],
        sessionRequiredPolicies: [String] = [], sessionRequiredMFA: Bool = false
    ) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.requiredScopes = requiredScopes
        self.collectionIDs = GlobusScopes.dataAccessCollections(in: requiredScopes)
        self.sessionRequiredIdentities = sessionRequiredIdentities
        self.sessionRequiredSingleDomain = sessionRequiredSingleDomain
        self.sessionRequiredPolicies = sessionRequiredPolicies
        self.sessionRequiredMFA = sessionRequiredMFA
    }

    /// `true` when a new login session is needed (not only a consent).
    public var needsSession: Bool {
        sessionRequiredMFA || !sessionRequiredIdentities.isEmpty || !sessionRequiredSingleDomain.isEmpty
            || !sessionRequiredPolicies.isEmpty
    }

    /// The command that meets the requirement, e.g. `copypt login --collection 1f2e…`. Only
    /// UUIDs and plain domain names from Globus's answer reach it.
    public var loginCommand: String {
        GlobusLoginRequest(
            collections: collectionIDs,
            sessionIdentities: sessionRequiredIdentities.filter(GlobusScopes.isCollectionID),
            sessionDomains: sessionRequiredSingleDomain.filter(GlobusLoginRequest.isDomain),
            mfa: sessionRequiredMFA
        ).command
    }

    /// One line: what Globus wants and the command to run. Never a token.
    var advice: String {
        var wants: [String] = []
        if !collectionIDs.isEmpty {
            wants.append("a data_access consent for collection(s) \(collectionIDs.joined(separator: ", "))")
        } else if !requiredScopes.isEmpty {
            wants.append("consent to \(GlobusText.oneLine(requiredScopes.joined(separator: " "), limit: 200))")
        }
        var session: [String] = []
        if !sessionRequiredIdentities.isEmpty { session.append("with identity \(sessionRequiredIdentities.joined(separator: " or "))") }
        if !sessionRequiredSingleDomain.isEmpty { session.append("from domain \(sessionRequiredSingleDomain.joined(separator: " or "))") }
        if sessionRequiredMFA { session.append("with multi-factor authentication") }
        if !sessionRequiredPolicies.isEmpty { session.append("meeting policy \(sessionRequiredPolicies.joined(separator: ", "))") }
        if !session.isEmpty { wants.append("a login " + session.joined(separator: ", ")) }
        var text = "Globus needs " + (wants.isEmpty ? "a new login" : wants.joined(separator: " and "))
            + "; run `\(loginCommand)`"
        if !collectionIDs.isEmpty {
            text += " (a service account: set \(GlobusConfiguration.EnvironmentKey.dataAccessCollections)="
                + collectionIDs.joined(separator: ",") + ")"
        }
        return text + ", then try again"
    }

    // MARK: - Parsing

    /// The requirement in a Transfer error body, or `nil` when it names none (no
    /// `ConsentRequired` with scopes, no `authorization_parameters` asking for anything).
    public static func parse(_ body: [UInt8]) -> GlobusAuthorizationRequirement? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)),
              let document = object as? [String: Any] else { return nil }
        if let found = parse(document) { return found }
        // A GARE may come as one of several sub-documents under "errors".
        for case let sub as [String: Any] in (document["errors"] as? [Any]) ?? [] {
            if let found = parse(sub) { return found }
        }
        return nil
    }

    static func parse(_ document: [String: Any]) -> GlobusAuthorizationRequirement? {
        let code = (document["code"] as? String).map { GlobusText.oneLine($0, limit: 100) } ?? "AuthorizationRequired"
        let parameters = document["authorization_parameters"] as? [String: Any] ?? [:]
        // A scope string with many dependencies is long: keep it whole (up to 4,000 characters).
        var scopes = strings(parameters["required_scopes"], limit: 4000)
        if scopes.isEmpty { scopes = strings(document["required_scopes"], limit: 4000) }
        if scopes.isEmpty, let single = document["required_scope"] as? String { scopes = [GlobusText.oneLine(single, limit: 4000)] }
        let requirement = GlobusAuthorizationRequirement(
            code: code,
            message: GlobusText.oneLine(
                (document["message"] as? String) ?? (parameters["session_message"] as? String) ?? "", limit: 160),
            requestID: (document["request_id"] as? String).map { GlobusText.oneLine($0, limit: 64) },
            requiredScopes: scopes,
            sessionRequiredIdentities: strings(parameters["session_required_identities"]),
            sessionRequiredSingleDomain: strings(parameters["session_required_single_domain"]),
            sessionRequiredPolicies: strings(parameters["session_required_policies"]),
            sessionRequiredMFA: (parameters["session_required_mfa"] as? Bool) ?? false)
        let consent = code == "ConsentRequired" && !scopes.isEmpty
        let authorization = !parameters.isEmpty && (!scopes.isEmpty || requirement.needsSession)
        return consent || authorization ? requirement : nil
    }

    /// A list of strings, each on one line and at most `limit` characters; at most 20 of them.
    private static func strings(_ value: Any?, limit: Int = 200) -> [String] {
        ((value as? [Any]) ?? []).prefix(20).compactMap { $0 as? String }.map { GlobusText.oneLine($0, limit: limit) }
    }
}
