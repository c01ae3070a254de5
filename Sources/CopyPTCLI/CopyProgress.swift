import CopyPTS3
import Foundation

/// The one-line progress display of `copypt copy` on a terminal (standard error), redrawn
/// at most ten times a second: `copied 12/40 objects, 1.2 GiB of 3.4 GiB, 1 failed`.
actor CopyProgress {
    private var total: Int
    private var totalBytes: Int64
    private let context: CommandContext
    /// Whether it draws at all (when not, events need not reach it).
    let enabled: Bool
    private var done = 0
    private var failed = 0
    private var bytes: Int64 = 0
    private var lastDraw = Date.distantPast
    /// Objects whose bytes are counted part by part.
    private var multipartItems: Set<CopyItem> = []

    /// A display for `items`; draws nothing unless `enabled`.
    init(items: [CopyItem], context: CommandContext, enabled: Bool) {
        total = items.count
        totalBytes = items.reduce(0) { $0.addingSaturated($1.size) }
        self.context = context
        self.enabled = enabled
    }

    /// Adds objects planned after the display started (the rest of a listing).
    func add(_ items: [CopyItem]) {
        total += items.count
        totalBytes = items.reduce(totalBytes) { $0.addingSaturated($1.size) }
    }

    /// Counts an event and redraws when due.
    func record(_ event: CopyEvent) {
        switch event {
        case .multipartStarted(let item, _, _):
            multipartItems.insert(item)
        case .partCopied(let item, _, _, let partBytes):
            multipartItems.insert(item)
            bytes = bytes.addingSaturated(partBytes)
        case .verified(let item, _):
            done += 1
            if !multipartItems.contains(item) { bytes = bytes.addingSaturated(item.size) }
        case .failed:
            failed += 1
        case .copied:
            break
        }
        draw(force: done + failed == total)
    }

    /// Ends the line.
    func finish() {
        guard enabled else { return }
        draw(force: true)
        context.standardError("\n")
    }

    private func draw(force: Bool) {
        guard enabled else { return }
        let current = context.now()
        guard force || current.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = current
        var line = "copied \(done)/\(total) objects, \(ByteCount.text(min(bytes, totalBytes))) of \(ByteCount.text(totalBytes))"
        if failed > 0 { line += ", \(failed) failed" }
        context.standardError("\r\u{1B}[K" + line)
    }
}
