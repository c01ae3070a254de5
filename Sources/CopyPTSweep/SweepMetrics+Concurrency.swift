extension SweepMetrics {
    /// The copy width lines (issue 16): adaptive concurrency's final and peak width and its cuts,
    /// summed over AWS profiles; nothing when the process has not copied.
    static func concurrencyLines(_ report: SweepReport) -> String {
        guard let width = report.concurrency else { return "" }
        var text = ""
        text += "# HELP copypt_copy_concurrency Copy requests allowed in flight: at the end of the last sweep, and the peak since the process started.\n"
        text += "# TYPE copypt_copy_concurrency gauge\n"
        text += "copypt_copy_concurrency{kind=\"final\",mode=\"\(width.adaptive ? "adaptive" : "fixed")\"} \(width.final)\n"
        text += "copypt_copy_concurrency{kind=\"peak\",mode=\"\(width.adaptive ? "adaptive" : "fixed")\"} \(width.peak)\n"
        text += "# HELP copypt_copy_concurrency_cuts Times S3 throttling (SlowDown, 503, 429, dropped connections) cut the width since the process started.\n"
        text += "# TYPE copypt_copy_concurrency_cuts gauge\n"
        text += "copypt_copy_concurrency_cuts \(width.cuts)\n"
        return text
    }
}
