import Foundation

extension GlobusConfiguration {
    /// Environment variable names copypt reads (the `GLOBUS_SDK_*` ones as globus-sdk does:
    /// globus-sdk-python `config/environments.py`, `config/env_vars.py`).
    public enum EnvironmentKey {
        /// Globus Auth root override.
        public static let authURL = "GLOBUS_SDK_SERVICE_URL_AUTH"
        /// Globus Transfer root override.
        public static let transferURL = "GLOBUS_SDK_SERVICE_URL_TRANSFER"
        /// Request time limit in seconds; `-1` is none.
        public static let timeout = "GLOBUS_SDK_HTTP_TIMEOUT"
        /// OAuth2 client id.
        public static let clientID = "COPYPT_GLOBUS_CLIENT_ID"
        /// Service-account client secret.
        public static let clientSecret = "COPYPT_GLOBUS_CLIENT_SECRET"
        /// Collections whose data_access consent a service account requests.
        public static let dataAccessCollections = "COPYPT_GLOBUS_DATA_ACCESS"
    }

    /// The configuration the environment describes.
    ///
    /// - Parameters:
    ///   - environment: the process environment, passed down from the CLI.
    ///   - clientID: `--client-id`, which wins over `COPYPT_GLOBUS_CLIENT_ID`.
    ///   - tokenFile: `--token-file`, which wins over the XDG/HOME location.
    /// - Throws: ``GlobusError/configuration(_:)`` for a malformed URL or timeout.
    public static func fromEnvironment(
        _ environment: [String: String],
        clientID: String? = nil,
        tokenFile: URL? = nil
    ) throws -> GlobusConfiguration {
        var configuration = GlobusConfiguration()
        if let auth = nonEmpty(environment[EnvironmentKey.authURL]) {
            configuration.authURL = try validatedRoot(auth, key: EnvironmentKey.authURL)
        }
        if let transfer = nonEmpty(environment[EnvironmentKey.transferURL]) {
            configuration.transferURL = try validatedRoot(transfer, key: EnvironmentKey.transferURL)
        }
        configuration.timeout = try timeout(environment[EnvironmentKey.timeout])
        configuration.clientID = nonEmpty(clientID) ?? nonEmpty(environment[EnvironmentKey.clientID])
        configuration.clientSecret = nonEmpty(environment[EnvironmentKey.clientSecret])
        configuration.tokenFile = tokenFile ?? defaultTokenFile(environment)
        configuration.dataAccessCollections = try dataAccessCollections(environment[EnvironmentKey.dataAccessCollections])
        return configuration
    }

    /// `$XDG_CONFIG_HOME/copypt/globus-tokens.json`, else `$HOME/.config/copypt/globus-tokens.json`,
    /// else `nil`. A relative XDG_CONFIG_HOME is ignored, as the XDG Base Directory spec says.
    public static func defaultTokenFile(_ environment: [String: String]) -> URL? {
        let base: URL
        if let xdg = nonEmpty(environment["XDG_CONFIG_HOME"]), xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else if let home = nonEmpty(environment["HOME"]) {
            base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".config", isDirectory: true)
        } else {
            return nil
        }
        return base.appendingPathComponent("copypt", isDirectory: true).appendingPathComponent("globus-tokens.json")
    }

    // MARK: - Parsing

    /// The longest `GLOBUS_SDK_HTTP_TIMEOUT` taken: one day. Longer is surely a mistake (use `-1`
    /// for none), and far larger values would overflow when converted to a time limit.
    static let maxTimeoutSeconds: Double = 86_400

    /// globus-sdk semantics (`config/env_vars.py`, `get_http_timeout`): unset or empty → 60 s,
    /// `-1` → no limit, else seconds. Where globus-sdk hands anything else on to `requests`,
    /// which refuses zero and negatives but takes `inf` and `nan` as no limit, copypt refuses
    /// everything but a finite number of seconds above 0 and up to ``maxTimeoutSeconds``.
    static func timeout(_ value: String?) throws -> Duration? {
        guard let text = nonEmpty(value) else { return .seconds(60) }
        let key = EnvironmentKey.timeout
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)) else {
            throw GlobusError.configuration("\(key)=\(text) is not a number of seconds; set e.g. 60, or -1 for no time limit")
        }
        if seconds == -1 { return nil }
        guard seconds.isFinite else {
            throw GlobusError.configuration("\(key)=\(text) is not a finite number of seconds; set e.g. 60, or -1 for no time limit")
        }
        guard seconds > 0 else {
            throw GlobusError.configuration("\(key)=\(text) must be more than 0 seconds (or -1 for no time limit)")
        }
        guard seconds <= maxTimeoutSeconds else {
            throw GlobusError.configuration(
                "\(key)=\(text) is more than a day (\(Int(maxTimeoutSeconds)) s); set fewer seconds, or -1 for no time limit")
        }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// `COPYPT_GLOBUS_DATA_ACCESS`: collection UUIDs separated by commas and/or spaces.
    static func dataAccessCollections(_ value: String?) throws -> [String] {
        let ids = (value ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        if let bad = ids.first(where: { !GlobusScopes.isCollectionID($0) }) {
            throw GlobusError.configuration(
                "\(EnvironmentKey.dataAccessCollections) holds \(GlobusText.oneLine(bad, limit: 60)), which is not a collection id; "
                    + "list collection UUIDs separated by commas")
        }
        return ids.map { $0.lowercased() }
    }

    static func validatedRoot(_ url: String, key: String) throws -> String {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !url.contains(" ") else {
            throw GlobusError.configuration("\(key)=\(url) is not an http(s) URL; set the service root, e.g. https://transfer.api.globus.org/")
        }
        return root(url)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
