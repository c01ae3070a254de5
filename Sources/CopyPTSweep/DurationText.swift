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
