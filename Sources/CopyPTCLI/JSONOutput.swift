import Foundation

/// What the `--json` documents of every command share: snake_case keys, sorted, and a
/// `schema_version` that changes only when a key is renamed, removed or changes meaning.
enum JSONOutput {
    /// The version of the `--json` documents (`status`, `sweep`, `copy`, `login`, `logout`).
    static let schemaVersion = 1

    /// `object` as one line of JSON, keys sorted, slashes unescaped.
    static func line(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
