/// One profile from the shared AWS config and credentials files.
///
/// Keys are lower-cased. A key written with an empty value followed by indented
/// `name = value` lines (e.g. `s3 =` then `  addressing_style = path`) is a subsection.
public struct AWSProfile: Sendable, Equatable {
    /// The profile name, e.g. `default` or `dev` (from `[profile dev]` or a credentials-file `[dev]`).
    public var name: String
    /// The profile's settings, e.g. `region`, `aws_access_key_id`, `role_arn`.
    public var values: [String: String]
    /// Nested settings, e.g. `["s3": ["addressing_style": "path"]]`.
    public var subsections: [String: [String: String]]

    /// Creates a profile.
    public init(name: String, values: [String: String] = [:], subsections: [String: [String: String]] = [:]) {
        self.name = name
        self.values = values
        self.subsections = subsections
    }

    /// The value of `key` (case-insensitive), or `nil` when unset or empty.
    public subscript(key: String) -> String? {
        guard let value = values[key.lowercased()], !value.isEmpty else { return nil }
        return value
    }

    /// Overlays `other`'s settings on this profile's (the credentials file over the config file).
    mutating func merge(_ other: AWSProfile) {
        values.merge(other.values) { _, new in new }
        subsections.merge(other.subsections) { old, new in old.merging(new) { _, n in n } }
    }
}
