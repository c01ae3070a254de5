extension Int64 {
    /// `self + other`, or the nearest end of `Int64`'s range when the sum would overflow.
    ///
    /// For totals of sizes S3 reported: each size is checked when read (at most
    /// ``S3ObjectSummary/maximumSize``), but a total over hundreds of thousands of them could
    /// still pass `Int64.max`, and a trap there would stop a sweep for a number shown to people.
    public func addingSaturated(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
