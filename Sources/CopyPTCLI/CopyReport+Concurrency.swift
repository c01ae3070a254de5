import CopyPTS3

extension CopyReport {
    /// How wide a copy ran, in the `--json` summary: `{"mode": "adaptive", "peak": 256,
    /// "final": 180, "cuts": 2}` (`cuts`: times throttling narrowed it).
    struct Concurrency: Encodable, Sendable {
        var mode: String
        var peak: Int
        var final: Int
        var cuts: Int

        init(_ width: CopyConcurrency) {
            mode = width.adaptive ? "adaptive" : "fixed"
            peak = width.peak
            final = width.final
            cuts = width.cuts
        }
    }
}
