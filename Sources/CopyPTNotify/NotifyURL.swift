import CopyPTHTTP
import CopyPTRecords

/// A webhook or ping URL: checked with libcurl's own parser as endpoints are, shown only as
/// `scheme://host/…` (a Slack webhook's path, a healthchecks.io check's UUID are secrets).
public struct NotifyURL: Sendable, Equatable {
    /// The URL as given.
    public let url: String

    /// `text` from `setting` (`--notify-url`, `COPYPT_NOTIFY_URL`, …) as an http or https URL with
    /// a host, without user name, password or fragment.
    /// - Throws: ``NotifyError/invalidURL(setting:shown:reason:)``, the URL redacted.
    public init(_ text: String, setting: String) throws {
        let shown = NotificationState.redacted(text)
        func refused(_ reason: String) -> NotifyError { .invalidURL(setting: setting, shown: shown, reason: reason) }
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { throw refused("it does not start http:// or https://") }
        // libcurl reads `https:///x` as host `x`; a webhook URL names its host after `//`.
        guard let afterSlashes = text.range(of: "://").map({ text[$0.upperBound...] }), afterSlashes.first != "/" else {
            throw refused("it has no host")
        }
        let parsed: CurlURL
        do {
            parsed = try CurlURL(parsing: text)
        } catch {
            throw refused("libcurl cannot parse it")
        }
        guard parsed.scheme == "http" || parsed.scheme == "https", !parsed.host.isEmpty else { throw refused("it has no host") }
        guard parsed.user == nil, parsed.password == nil, !text.contains("@") else { throw refused("it holds a user name or password (@)") }
        guard parsed.fragment == nil, !text.contains("#") else { throw refused("it has a fragment (#…)") }
        guard !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } == true }) else {
            throw refused("it holds spaces or control characters")
        }
        url = text
    }

    /// `scheme://host/…`, for messages.
    public var redacted: String { NotificationState.redacted(url) }

    /// The URL with `suffix` appended to its path (before any query): `/start`, `/fail`.
    public func appending(_ suffix: String) -> String {
        guard !suffix.isEmpty else { return url }
        let (base, query) = url.firstIndex(of: "?").map { (String(url[..<$0]), String(url[$0...])) } ?? (url, "")
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + suffix + query
    }
}
