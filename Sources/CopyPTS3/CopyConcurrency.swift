/// How wide a copy ran: the concurrency at its peak and at the end, and how often throttling
/// narrowed it, for summaries and metrics.
public struct CopyConcurrency: Sendable, Equatable {
    /// `true` when the width adapted (AIMD), `false` for a fixed `--concurrency`.
    public var adaptive: Bool
    /// The widest the limit was (for an adaptive engine, since it was made).
    public var peak: Int
    /// The limit when the run ended.
    public var final: Int
    /// How many times an overload (SlowDown, 503, 429, a dropped connection) cut the width.
    public var cuts: Int

    /// Creates a record of a run's width.
    public init(adaptive: Bool, peak: Int, final: Int, cuts: Int) {
        self.adaptive = adaptive
        self.peak = peak
        self.final = final
        self.cuts = cuts
    }

    /// The width of two runs of one copy, `later` last: the larger peak, `later`'s final width
    /// and cuts (an adaptive engine counts them from its start).
    func followed(by later: CopyConcurrency) -> CopyConcurrency {
        CopyConcurrency(
            adaptive: adaptive || later.adaptive, peak: max(peak, later.peak), final: later.final,
            cuts: later.adaptive ? max(cuts, later.cuts) : cuts + later.cuts)
    }
}
