import Foundation
import PropertyBased
import Testing

@testable import CopyPTRecords

/// RFC3339's arithmetic fast path held to ISO8601FormatStyle, on generated timestamps (with
/// out-of-range fields) and mutations of them: the same instant, or the fast path hands the text
/// on and `date(from:)` gives ISO8601FormatStyle's answer.
///
/// Named exceptions: ISO8601FormatStyle rolls fields out of range over (second 60, a leap second
/// RFC 3339 allows, is the next minute; February 30 is March 2); the fast path refuses them and
/// `date(from:)` gives ISO8601FormatStyle's answer. And ISO8601FormatStyle's
/// calendar is Julian before 1582-10-15, where RFC 3339 (and the fast path) count proleptic
/// Gregorian days, so instants before 1583 are not compared; records hold none.
@Suite struct RFC3339PropertyTests {
    static let iso = Date.ISO8601FormatStyle(timeZone: .gmt)

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `yyyy-MM-ddTHH:mm:ssZ` with each field sometimes out of range.
    static let timestamp = Generator<String, Shrink.None<String>>(run: { random in
        let year = Bool.random(using: &random) ? Int.random(in: 1970...2100, using: &random) : Int.random(in: 1583...9999, using: &random)
        let month = Int.random(in: 0...20, using: &random) == 0 ? [0, 13].randomElement(using: &random) ?? 0 : Int.random(in: 1...12, using: &random)
        let day = Int.random(in: 0...10, using: &random) == 0 ? [0, 29, 30, 31, 32].randomElement(using: &random) ?? 0 : Int.random(in: 1...31, using: &random)
        let hour = Int.random(in: 0...20, using: &random) == 0 ? 24 : Int.random(in: 0...23, using: &random)
        let minute = Int.random(in: 0...20, using: &random) == 0 ? 60 : Int.random(in: 0...59, using: &random)
        let second = Int.random(in: 0...20, using: &random) == 0 ? 60 : Int.random(in: 0...59, using: &random)
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
    })

    @Test("the fast path reads a canonical timestamp as ISO8601FormatStyle does, or both refuse")
    func canonical() async {
        await propertyCheck(count: 2_000, input: Self.timestamp) { text in
            let fast = RFC3339.canonicalDate(text)
            let reference = try? Self.iso.parse(text)
            if fast == nil, reference != nil {
                // The roll-over exception: only for a field out of range, and date(from:) then
                // gives ISO8601FormatStyle's answer.
                #expect(Self.hasFieldOutOfRange(text), "\(text)")
                #expect(RFC3339.date(from: text) == reference, "\(text)")
            } else {
                #expect(fast == reference, "\(text)")
            }
        }
    }

    /// A month, day, hour, minute or second outside its calendar range.
    static func hasFieldOutOfRange(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func field(_ start: Int, _ count: Int) -> Int { Int(String(decoding: bytes[start..<start + count], as: UTF8.self)) ?? -1 }
        let year = field(0, 4), month = field(5, 2), day = field(8, 2)
        guard (1...12).contains(month) else { return true }
        var components = DateComponents(year: year, month: month)
        components.calendar = Calendar(identifier: .gregorian)
        let days = components.calendar?.range(of: .day, in: .month, for: components.date ?? Date())?.count ?? 31
        return !(1...days).contains(day) || field(11, 2) > 23 || field(14, 2) > 59 || field(17, 2) > 59
    }

    @Test("mutated timestamps: whatever date(from:) reads, ISO8601FormatStyle reads the same; never a crash")
    func mutated() async {
        await propertyCheck(count: 300, input: Self.timestamp, Gen<UInt64>.value(in: 0...UInt64.max)) { text, seed in
            var random = Xoshiro(seed: (seed, ~seed, 0x9E37_79B9_7F4A_7C15, 1))
            var bytes = Array(text.utf8)
            let position = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0...2, using: &random) {
            case 0: bytes[position] = Array("0123456789-:TZtz+. ".utf8).randomElement(using: &random) ?? 0x30
            case 1: bytes.remove(at: position)
            default: bytes.insert(contentsOf: Array([".5", "+01:00", "-00:00", "0", ".123456"].randomElement(using: &random)!.utf8), at: position)
            }
            let damaged = String(decoding: bytes, as: UTF8.self)
            guard let year = Int(damaged.prefix(4)), year >= 1583 else { return }  // the calendar exception
            if let fast = RFC3339.canonicalDate(damaged) {
                #expect(fast == (try? Self.iso.parse(damaged)), "\(damaged)")
            }
            if let date = RFC3339.date(from: damaged) {
                let reference = (try? Self.iso.parse(damaged))
                    ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(damaged))
                #expect(date == reference, "\(damaged)")
            }
        }
    }

    @Test("string(from:) writes what ISO8601FormatStyle writes, and reads back")
    func writes() async {
        // 1583-01-01 to 9999-12-31 (the calendar exception).
        await propertyCheck(count: 1_000, input: Gen.int(in: -12_212_553_600 ... 253_402_300_799)) { seconds in
            let date = Date(timeIntervalSince1970: Double(seconds))
            let text = RFC3339.string(from: date)
            #expect(text == date.formatted(Self.iso), "\(seconds)")
            #expect(RFC3339.date(from: text) == date, "\(text)")
        }
    }
}
