/// Human-readable byte counts in binary units: `0 B`, `999 B`, `1.0 KiB`, `56.7 GiB`.
public enum ByteCount {
    /// `bytes` with one decimal in the largest unit that keeps the number below 1024.
    public static func text(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return "\(bytes) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1023.95 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
