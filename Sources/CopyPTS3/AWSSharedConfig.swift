import Foundation

/// The shared AWS config and credentials files, parsed and merged as the AWS CLI does.
///
/// - Config file (`AWS_CONFIG_FILE`, default `~/.aws/config`): `[default]`, `[profile NAME]`,
///   `[services NAME]`; any other section (e.g. a bare `[NAME]`) is not a profile.
/// - Credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`): `[NAME]`,
///   no `profile ` prefix. Its values override the config file's for the same profile.
/// - `[default]` is not inherited by named profiles.
/// See https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html.
public struct AWSSharedConfig: Sendable, Equatable {
    /// Profiles by name, both files merged.
    public var profiles: [String: AWSProfile]
    /// `[services NAME]` sections: section name → service (e.g. `s3`) → settings (e.g. `endpoint_url`).
    public var services: [String: [String: [String: String]]]
    /// The config file path that was read (or would have been).
    public var configPath: String
    /// The credentials file path that was read (or would have been).
    public var credentialsPath: String

    /// Creates a value from parsed parts.
    public init(
        profiles: [String: AWSProfile] = [:],
        services: [String: [String: [String: String]]] = [:],
        configPath: String = "~/.aws/config",
        credentialsPath: String = "~/.aws/credentials"
    ) {
        self.profiles = profiles
        self.services = services
        self.configPath = configPath
        self.credentialsPath = credentialsPath
    }

    // MARK: - Loading

    /// The two file paths the environment selects, `~` expanded with the environment's `HOME`.
    public static func paths(environment: [String: String]) -> (config: String, credentials: String) {
        let home = environment["HOME"] ?? ""
        func expand(_ path: String) -> String {
            if path == "~" { return home }
            if path.hasPrefix("~/") { return home + path.dropFirst() }
            return path
        }
        let config = environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "~/.aws/config"
        let credentials = environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "~/.aws/credentials"
        return (expand(config), expand(credentials))
    }

    /// Reads and parses both files; a missing file counts as empty.
    /// - Throws: ``CredentialError/invalidFile(path:line:reason:)`` for a file that exists but cannot be parsed.
    public static func load(environment: [String: String]) throws -> AWSSharedConfig {
        let (configPath, credentialsPath) = paths(environment: environment)
        return try parse(
            config: try readIfPresent(configPath), credentials: try readIfPresent(credentialsPath),
            configPath: configPath, credentialsPath: credentialsPath
        )
    }

    /// Parses the texts of both files.
    /// - Throws: ``CredentialError/invalidFile(path:line:reason:)``.
    public static func parse(
        config: String, credentials: String,
        configPath: String = "~/.aws/config", credentialsPath: String = "~/.aws/credentials"
    ) throws -> AWSSharedConfig {
        var result = AWSSharedConfig(configPath: configPath, credentialsPath: credentialsPath)
        for section in try INIFile.parse(config, path: configPath) {
            let words = section.name.split(whereSeparator: \.isWhitespace)
            let profile = AWSProfile(name: "", values: section.values, subsections: section.subsections)
            if words.count == 1, words[0] == "default" {
                result.add(profile, named: "default")
            } else if words.count == 2, words[0] == "profile" {
                result.add(profile, named: String(words[1]))
            } else if words.count == 2, words[0] == "services" {
                result.services[String(words[1])] = section.subsections
            }
        }
        for section in try INIFile.parse(credentials, path: credentialsPath) {
            let name = section.name.trimmingCharacters(in: .whitespaces)
            result.add(AWSProfile(name: name, values: section.values, subsections: section.subsections), named: name)
        }
        return result
    }

    private mutating func add(_ profile: AWSProfile, named name: String) {
        var profile = profile
        profile.name = name
        if profiles[name] == nil {
            profiles[name] = profile
        } else {
            profiles[name]?.merge(profile)
        }
    }

    private static func readIfPresent(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { return "" }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError.invalidFile(path: path, line: 0, reason: "cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
