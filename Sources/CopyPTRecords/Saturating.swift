/// Counter arithmetic that never traps: totals summed over many records or journal lines are
/// held at the type's bound instead, where a wrong but finite number beats a crashed sweep.
public enum Saturating {
    /// `a + b`, held at `T.max` (or `T.min`) when it would overflow.
    public static func add<T: FixedWidthInteger>(_ a: T, _ b: T) -> T {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b > 0 ? .max : .min
    }

    /// The sum of `values`, held at the bounds as `add` is.
    public static func sum<S: Sequence>(_ values: S) -> S.Element where S.Element: FixedWidthInteger {
        values.reduce(0, add)
    }
}
