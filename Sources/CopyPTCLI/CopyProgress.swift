import CopyPTS3
import Foundation

/// What `copypt copy` shows while it copies. On a terminal, one line on standard error,
/// redrawn at most ten times a second and cleared at the end:
/// `copied 12/40 objects, 1.2 GiB of 3.4 GiB, 45.6 MiB/s, ETA 0:42` (while the source is still
/// being listed: `copied 12 objects, 1.2 GiB, 45.6 MiB/s, listing…`). With `--verbose`, one
/// line per object on standard output, `copy: s3://a/k -> s3://b/k`, as `aws s3 cp` prints.
actor CopyProgress {
    private var total: Int
    private var totalBytes: Int64
    /// The rest of the source is still being listed: the total is not known.
    private var listing: Bool
    private let context: CommandContext
    /// Whether it draws the progress line.
    let enabled: Bool
    /// Whether it prints a line per object copied.
    let listsObjects: Bool
    private let started: Date
    private var done = 0
    private var failed = 0
    private var bytes: Int64 = 0
    private var lastDraw = Date.distantPast
    private var drawn = false
    /// Objects whose bytes are counted part by part.
    private var multipartItems: Set<CopyItem> = []

    /// A display for `items` (more to come while `listing`); draws nothing unless `enabled`.
    init(items: [CopyItem], listing: Bool, context: CommandContext, enabled: Bool, listsObjects: Bool) {
        total = items.count
        totalBytes = items.reduce(0) { $0.addingSaturated($1.size) }
        self.listing = listing
        self.context = context
        self.enabled = enabled
        self.listsObjects = listsObjects
        started = context.now()
    }

    /// The objects to copy known so far (all of them once the listing is complete).
    var objectTotal: Int { total }

    /// Whether events need to reach it at all.
    nonisolated var wantsEvents: Bool { enabled || listsObjects }

    /// Adds the objects planned after the display started (the rest of the listing), which is now complete.
    func add(_ items: [CopyItem]) {
        total += items.count
        totalBytes = items.reduce(totalBytes) { $0.addingSaturated($1.size) }
        listing = false
        draw(force: true)
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
            if listsObjects {
                clear()
                context.standardOutput("copy: \(item.source) -> \(item.destination)\n")
            }
        case .failed:
            failed += 1
        case .copied:
            break
        }
        draw(force: !listing && done + failed == total)
    }

    /// Clears the line, leaving the terminal as it was.
    func finish() {
        clear()
    }

    private func clear() {
        guard enabled, drawn else { return }
        context.standardError("\r\u{1B}[K")
        drawn = false
        lastDraw = .distantPast
    }

    private func draw(force: Bool) {
        guard enabled else { return }
        let current = context.now()
        guard force || current.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = current
        context.standardError("\r\u{1B}[K" + line(at: current))
        drawn = true
    }

    /// The progress line at `now`.
    func line(at now: Date) -> String {
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(bytes) / elapsed : 0
        var line: String
        if listing {
            line = "copied \(CopyCommandRunner.objects(done)), \(ByteCount.text(bytes)), \(Self.rate(rate)), listing…"
        } else {
            line = "copied \(done)/\(total) objects, \(ByteCount.text(min(bytes, totalBytes))) of \(ByteCount.text(totalBytes)), \(Self.rate(rate))"
            if let eta = eta(elapsed: elapsed) { line += ", ETA \(Self.clock(eta))" }
        }
        if failed > 0 { line += ", \(failed) failed" }
        return line
    }

    /// Seconds left at the pace so far: by bytes, or by objects when there are no bytes to go by.
    private func eta(elapsed: TimeInterval) -> TimeInterval? {
        guard elapsed > 0, done + failed < total else { return nil }
        if totalBytes > 0, bytes > 0 {
            return Double(totalBytes - min(bytes, totalBytes)) / (Double(bytes) / elapsed)
        }
        guard done + failed > 0 else { return nil }
        return Double(total - done - failed) / (Double(done + failed) / elapsed)
    }

    /// `45.6 MiB/s`.
    static func rate(_ bytesPerSecond: Double) -> String {
        ByteCount.text(Int64(min(bytesPerSecond, Double(Int64.max / 2)))) + "/s"
    }

    /// `0:42`, `12:05`, `1:02:03`.
    static func clock(_ seconds: TimeInterval) -> String {
        let total = Int(min(seconds, 360_000).rounded(.up))
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
        let ss = s < 10 ? "0\(s)" : "\(s)"
        return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
    }

    /// `4.2 s`, `3 m 05 s`.
    static func duration(_ seconds: TimeInterval) -> String {
        guard seconds >= 60 else { return String(format: "%.1f s", seconds) }
        let total = Int(seconds.rounded())
        let s = total % 60
        return "\(total / 60) m \(s < 10 ? "0" : "")\(s) s"
    }
}
