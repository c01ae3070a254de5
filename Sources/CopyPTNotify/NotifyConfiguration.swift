import Foundation

/// Where notifications go and how long undelivered ones are kept.
public struct NotifyConfiguration: Sendable {
    /// `--notify-command`'s words, or `nil`.
    public var command: [String]?
    /// The sweep-wide webhook (`--notify-url` or `COPYPT_NOTIFY_URL`), or `nil`; a record's own
    /// URL replaces it for that record.
    public var url: NotifyURL?
    /// The command's time limit; default 30 s.
    public var commandTimeout: Duration
    /// The webhook request's time limit; default 30 s.
    public var requestTimeout: Duration
    /// Attempts (one per sweep) after which an undelivered event is dropped; default 1,000.
    public var maxAttempts: Int
    /// Age after which an undelivered event is dropped; default 3 days.
    public var maxAge: TimeInterval
    /// The environment the command gets the notification's variables on top of; default empty.
    public var environment: [String: String]
    /// The clock.
    public var now: @Sendable () -> Date

    /// A configuration; every default is stated on its property.
    public init(
        command: [String]? = nil, url: NotifyURL? = nil, commandTimeout: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(30), maxAttempts: Int = 1000, maxAge: TimeInterval = 3 * 86400,
        environment: [String: String] = [:], now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.command = command
        self.url = url
        self.commandTimeout = commandTimeout
        self.requestTimeout = requestTimeout
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
        self.environment = environment
        self.now = now
    }

    /// `true` when the sweep itself has somewhere to send notifications.
    public var hasChannels: Bool { command != nil || url != nil }
}
