import CopyPTHTTP

extension CurlURL {
    /// `text`, the value of the setting `variable`, read with libcurl's own parser as an http or
    /// https URL with a host and neither a user name, password nor fragment: each has been used
    /// to make a URL look as if it named another host than it does.
    /// - Parameters:
    ///   - shown: the value as a message repeats it, default `text`; one holding `@` is withheld,
    ///     as it may hold a password.
    ///   - isEndpoint: `true` for a service endpoint, which ``URLParts`` splits for every request:
    ///     it must be written `http://` or `https://` (libcurl reads `http:/h` as `http://h/`,
    ///     ``URLParts`` as host `http`, and botocore refuses it) and carry no query; default `false`.
    /// - Throws: ``CredentialError/invalidSetting(name:value:expected:)`` naming `variable`.
    static func setting(_ text: String, variable: String, shown: String? = nil, isEndpoint: Bool = false) throws -> CurlURL {
        let shown = shown ?? text
        let value = shown.contains("@") ? "<withheld: it contains @>" : shown
        func refused(_ expected: String) -> CredentialError {
            CredentialError.invalidSetting(name: variable, value: value, expected: expected)
        }
        let lower = text.lowercased()
        guard !isEndpoint || lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw refused("a URL starting http:// or https://")
        }
        let parsed: CurlURL
        do {
            parsed = try CurlURL(parsing: text)
        } catch {
            throw refused("an http or https URL (\(error))")
        }
        guard parsed.scheme == "http" || parsed.scheme == "https" else { throw refused("an http or https URL") }
        guard parsed.user == nil, parsed.password == nil else { throw refused("a URL without a user name or password (user@)") }
        // An empty fragment (a bare #) is none to libcurl, but no endpoint needs one either.
        guard parsed.fragment == nil, !text.contains("#") else { throw refused("a URL without a fragment (#...)") }
        guard !isEndpoint || (parsed.query == nil && !text.contains("?")) else { throw refused("a URL without a query (?...)") }
        return parsed
    }
}
