import Foundation

/// Durations as people write them on the command line: `90s`, `45m`, `12h`, `7d`, `1w`, or a
/// bare number of seconds.
public enum DurationText {
    /// Parses `text`; `nil` when it is not a positive whole number with an optional unit.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last else { return nil }
        let multipliers: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let number: Substring
        let multiplier: Int64
        if let m = multipliers[unit] {
            number = trimmed.dropLast()
            multiplier = m
        } else {
            number = Substring(trimmed)
            multiplier = 1
        }
        guard let value = Int64(number), value > 0, value <= Int64.max / multiplier / 2 else { return nil }
        return .seconds(value * multiplier)
    }

    /// `duration` in its largest whole unit: `7d`, `12h`, `90m`, `45s`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds >= size && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
