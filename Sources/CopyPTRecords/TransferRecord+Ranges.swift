extension TransferRecord {
    /// The largest value a record's counters (`attempts`, `progress.*`) may hold: 2^53 − 1,
    /// the largest integer every JSON reader (jq, Python, JavaScript) keeps exact, and 8 PiB
    /// for bytes. Reading a record checks every counter against it, so sums and increments of
    /// counters read from disk cannot overflow by themselves.
    public static let counterLimit: Int64 = (1 << 53) - 1

    /// Checks that every counter lies in `0...counterLimit`.
    /// - Parameter path: the record file, for the error.
    /// - Throws: `RecordError.outOfRange` naming the first field out of range.
    public func checkRanges(path: String) throws {
        // Plain checks, no array: this runs for every record an idle sweep loads.
        func check(_ field: String, _ value: Int64?) throws {
            guard let value, value >= 0, value <= Self.counterLimit else {
                throw RecordError.outOfRange(path: path, field: field, value: value.map(String.init) ?? "too large")
            }
        }
        try check("attempts", Int64(exactly: attempts))
        if let objectsTotal = progress.objectsTotal { try check("progress.objects_total", Int64(exactly: objectsTotal)) }
        try check("progress.objects_done", Int64(exactly: progress.objectsDone))
        if let bytesTotal = progress.bytesTotal { try check("progress.bytes_total", bytesTotal) }
        try check("progress.bytes_done", progress.bytesDone)
    }

    /// `attempts + 1`, held at `counterLimit` (a counter never traps, however long a transfer
    /// keeps failing).
    public var nextAttempt: Int {
        attempts < Int(Self.counterLimit) ? max(attempts, 0) + 1 : Int(Self.counterLimit)
    }
}
