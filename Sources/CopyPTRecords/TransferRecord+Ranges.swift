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
        let counters: [(String, Int64?)] = [
            ("attempts", Int64(exactly: attempts)),
            ("progress.objects_total", progress.objectsTotal.map { Int64(exactly: $0) } ?? 0),
            ("progress.objects_done", Int64(exactly: progress.objectsDone)),
            ("progress.bytes_total", progress.bytesTotal ?? 0),
            ("progress.bytes_done", progress.bytesDone),
        ]
        for (field, value) in counters {
            guard let value, (0...Self.counterLimit).contains(value) else {
                let shown = value.map(String.init) ?? "too large"
                throw RecordError.outOfRange(path: path, field: field, value: shown)
            }
        }
    }

    /// `attempts + 1`, held at `counterLimit` (a counter never traps, however long a transfer
    /// keeps failing).
    public var nextAttempt: Int {
        attempts < Int(Self.counterLimit) ? max(attempts, 0) + 1 : Int(Self.counterLimit)
    }
}
