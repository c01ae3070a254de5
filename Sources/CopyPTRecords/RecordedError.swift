import Foundation

/// The last error a transfer met, as kept in its record.
public struct RecordedError: Sendable, Hashable, Codable {
    /// A short machine-readable code (`AccessDenied`, `GlobusTaskFailed`, `NetworkError`, …).
    public var code: String
    /// One line for people: what failed and what to do (newlines are replaced by spaces).
    public var message: String
    /// When it happened (RFC 3339 UTC on disk).
    public var at: Date
    /// `true` when the next sweep retries by itself (network, 5xx, throttling).
    public var transient: Bool

    /// An error note; `message` is folded onto one line.
    public init(code: String, message: String, at: Date, transient: Bool = false) {
        self.code = code
        self.message = RecordedError.oneLine(message)
        self.at = at
        self.transient = transient
    }

    /// `text` with every run of newlines, tabs and other control characters replaced by one space.
    public static func oneLine(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                pendingSpace = true
                continue
            }
            if pendingSpace && !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case code, message, at, transient }

    /// Decodes; `transient` defaults to `false`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try c.decode(String.self, forKey: .code),
            message: try c.decode(String.self, forKey: .message),
            at: try c.decode(Date.self, forKey: .at),
            transient: try c.decodeIfPresent(Bool.self, forKey: .transient) ?? false
        )
    }
}
