/// Durations as people read them in messages: `7d`, `12h`, `90m`, `45s`.
public enum DurationText {
    /// `duration` in its largest whole unit: `7d`, `12h`, `90m`, `45s`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}

extension DurationText {
    /// `duration` rounded down to at most two units, for "failing for …": `2h 5m`, `3d 4h`, `45s`.
    public static func approximate(_ duration: Duration) -> String {
        let seconds = max(duration.components.seconds, 0)
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        guard let first = units.firstIndex(where: { seconds >= $0.1 }) else { return "0s" }
        let big = units[first]
        var text = "\(seconds / big.1)\(big.0)"
        if first + 1 < units.count {
            let small = units[first + 1]
            let rest = (seconds % big.1) / small.1
            if rest > 0 { text += " \(rest)\(small.0)" }
        }
        return text
    }
}
