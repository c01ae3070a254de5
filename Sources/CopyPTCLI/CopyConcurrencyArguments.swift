import CopyPTS3

/// `--concurrency` and `--max-concurrency`, shared by `copy` and the sweep: a fixed width, or
/// adaptive concurrency (the default) capped by `--max-concurrency`.
enum CopyConcurrencyArguments {
    /// The cap of adaptive concurrency when `--max-concurrency` is not given: room for
    /// ~5,000–10,000 small copies/s at S3's 50–100 ms a request (above the 3,500/s one prefix
    /// takes), while its connections stay well inside the usual 1,024 open files of `ulimit -n`.
    static let defaultMaximum = 512

    /// The width adaptive concurrency starts at (less when the cap is lower).
    static let start = 32

    /// The adaptive settings, or `nil` for the fixed `--concurrency`.
    /// - Throws: ``CopyInputError`` when both are given or either is outside `range`.
    static func adaptive(fixed: Int?, maximum: Int?, range: ClosedRange<Int>) throws -> AIMDController.Settings? {
        let bounds = "between \(range.lowerBound) and \(range.upperBound)"
        switch (fixed, maximum) {
        case (.some, .some):
            throw CopyInputError(
                "--concurrency and --max-concurrency cannot be used together: --concurrency N fixes the copies in flight, "
                    + "--max-concurrency N caps the adaptive default")
        case (.some(let fixed), nil):
            guard range.contains(fixed) else { throw CopyInputError("--concurrency must be \(bounds), not \(fixed)") }
            return nil
        case (nil, let maximum):
            let cap = maximum ?? min(defaultMaximum, range.upperBound)
            guard range.contains(cap) else { throw CopyInputError("--max-concurrency must be \(bounds), not \(cap)") }
            return AIMDController.Settings(start: min(start, cap), maximum: cap)
        }
    }
}
