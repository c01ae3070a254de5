import ArgumentParser

/// A duration on the command line: `90` (seconds), `90s`, `15m`, `2h`, `7d`, `500ms`, or a
/// sum such as `1h30m`.
public struct DurationArgument: Sendable, Hashable, ExpressibleByArgument, CustomStringConvertible {
    /// The duration.
    public var duration: Duration

    /// A duration argument.
    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses the forms above; `nil` for anything else.
    public init?(argument: String) {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        if let seconds = Int64(argument), seconds >= 0 {
            self.init(.seconds(seconds))
            return
        }
        var rest = Substring(argument)
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unitText = rest.prefix(while: { $0.isLetter })
            guard let unit = units.first(where: { $0.0 == unitText.lowercased() }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.1)
            guard !overflow else { return nil }
            total += product
        }
        self.init(.milliseconds(total))
    }

    /// The value in the shortest exact form above (`60s`, `1h30m`).
    public var description: String {
        var milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        var parts = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where milliseconds >= size {
            parts += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return parts
    }

    public var defaultValueDescription: String { description }
}
