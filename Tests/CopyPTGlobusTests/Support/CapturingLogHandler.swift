import Foundation
import Logging

/// A swift-log handler that keeps every line (level, message, metadata) so tests can assert
/// that nothing secret was logged.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    /// Every captured line, rendered as text.
    var lines: [String] { lock.withLock { stored } }

    /// A logger at trace level writing into this capture.
    func logger(_ label: String = "copypt.test") -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: String) { lock.withLock { stored.append(line) } }

    /// `true` when no captured line contains any of `secrets`.
    func contains(anyOf secrets: [String]) -> Bool {
        lines.contains { line in secrets.contains { !$0.isEmpty && line.contains($0) } }
    }
}

/// The handler behind ``LogCapture``.
struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        capture.append("\(event.level) \(event.message) \(all)")
    }
}
