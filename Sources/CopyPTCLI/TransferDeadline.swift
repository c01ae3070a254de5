import ArgumentParser
import CopyPTRecords
import Foundation

/// `copypt transfer --deadline`: a duration from now (`2d`, `36h`) or an RFC 3339 time.
struct TransferDeadline: Sendable, Hashable {
    enum Value: Sendable, Hashable {
        case after(Duration)
        case at(Date)
    }

    var value: Value

    /// Parses either form, saying what is wrong.
    init(parsing text: String) throws {
        if let duration = DurationArgument(argument: text), duration.duration > .zero {
            value = .after(duration.duration)
        } else if let date = RFC3339.date(from: text) {
            value = .at(date)
        } else {
            throw ValidationError("give a duration from now like 2d or 36h, or a time like 2026-12-24T12:00:00Z")
        }
    }

    /// The deadline's time, for a command run at `now`.
    func date(from now: Date) -> Date {
        switch value {
        case .after(let duration): return now.addingTimeInterval(Double(duration.components.seconds))
        case .at(let date): return date
        }
    }
}
