import Foundation

/// Globus Auth scope strings copypt asks for, and the collection ids a required scope names.
///
/// A Globus Connect Server v5 mapped collection (not High Assurance) needs a `data_access`
/// consent: the Transfer scope with the collection's scope as a dependency,
/// `urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<ID>/data_access]`,
/// several collections space-separated inside the one pair of brackets; `*` marks the
/// dependency optional. This is the string globus-sdk builds in
/// `TransferClient.add_app_data_access_scope` (`GCSCollectionScopes(id).data_access.with_optional(True)`,
/// `scopes/collection.py` `_url_scope`) and the one Transfer names in a `ConsentRequired` answer.
public enum GlobusScopes {
    /// `https://auth.globus.org/scopes/<collection>/data_access`.
    public static func dataAccess(_ collectionID: String) -> String {
        "https://auth.globus.org/scopes/\(collectionID.lowercased())/data_access"
    }

    /// The Transfer scope, with each collection's optional data_access dependency; the bare
    /// Transfer scope when `collectionIDs` is empty.
    public static func transfer(dataAccessFor collectionIDs: [String]) -> String {
        let unique = uniqueLowercased(collectionIDs)
        guard !unique.isEmpty else { return GlobusConfiguration.transferScope }
        return GlobusConfiguration.transferScope + "[" + unique.map { "*" + dataAccess($0) }.joined(separator: " ") + "]"
    }

    /// What `copypt login` asks for: `openid profile email` and the Transfer scope with the
    /// collections' data_access dependencies.
    public static func login(dataAccessFor collectionIDs: [String]) -> String {
        "openid profile email " + transfer(dataAccessFor: collectionIDs)
    }

    /// The collection ids whose data_access scope appears anywhere in `scopes` (lowercased, in
    /// order, once each). Only well-formed UUIDs count, so the result is safe to print in a command.
    public static func dataAccessCollections(in scopes: [String]) -> [String] {
        let prefix = "https://auth.globus.org/scopes/"
        let suffix = "/data_access"
        var found: [String] = []
        for scope in scopes {
            for token in scope.split(whereSeparator: { $0 == " " || $0 == "[" || $0 == "]" || $0 == "*" }) {
                guard token.hasPrefix(prefix), token.hasSuffix(suffix) else { continue }
                let id = String(token.dropFirst(prefix.count).dropLast(suffix.count))
                if isCollectionID(id) { found.append(id) }
            }
        }
        return uniqueLowercased(found)
    }

    /// `true` for a collection id as Globus writes them: a UUID (36 characters, hyphenated).
    public static func isCollectionID(_ text: String) -> Bool {
        text.count == 36 && UUID(uuidString: text) != nil
    }

    private static func uniqueLowercased(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.map { $0.lowercased() }.filter { seen.insert($0).inserted }
    }
}
