import Foundation

/// Collects text written from any thread (a command's captured stdout or stderr).
public final class TextCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    /// An empty capture.
    public init() {}

    /// Appends `text`.
    public func append(_ text: String) {
        lock.withLock { buffer += text }
    }

    /// Everything appended so far.
    public var text: String { lock.withLock { buffer } }
}
