import Foundation

/// A transfer's notifications (`notifications` in the record; optional within version 1, absent
/// when there is nothing to deliver and no webhook of its own): the events waiting to be
/// delivered, and the transfer's own webhook URL from `copypt add --notify-url`.
///
/// An event is added in the same write as the change that caused it, so a kill never loses one;
/// it leaves the list only once every channel has acknowledged it (or it has outlived its cap).
public struct NotificationState: Sendable, Hashable, Codable {
    /// The transfer's own webhook URL, replacing the sweep's `--notify-url` for it. A secret
    /// (a Slack webhook's path is its credential): shown only as `scheme://host/…`.
    public var url: String?
    /// Events not yet delivered everywhere, oldest first.
    public var pending: [PendingNotification]

    /// Notification state with a webhook URL of its own and/or pending events.
    public init(url: String? = nil, pending: [PendingNotification] = []) {
        self.url = url
        self.pending = pending
    }

    /// `true` when there is nothing worth keeping (no URL, no pending event): the key is dropped.
    public var isEmpty: Bool { url == nil && pending.isEmpty }

    /// `url` as `scheme://host/…`, fit for messages and output.
    public static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "<webhook URL>" }
        let rest = url[schemeEnd.upperBound...]
        var host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        return "\(url[..<schemeEnd.lowerBound])://\(host)/…"
    }
}

extension TransferRecord {
    /// The record as shown to people and to `--notify-command`: its webhook URL (a secret)
    /// redacted to `scheme://host/…`.
    public var redactingSecrets: TransferRecord {
        guard let url = notifications?.url else { return self }
        var copy = self
        copy.notifications?.url = NotificationState.redacted(url)
        return copy
    }
}
