@testable import CopyPTRecords
import Foundation
import Testing

@Suite struct RFC3339Tests {
    /// The reference: what ISO8601FormatStyle writes and reads.
    static func reference(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }

    @Test("the canonical form matches ISO8601FormatStyle both ways", arguments: [
        0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_795_599_667, 4_107_456_000, -1, -86_401, 253_402_300_799,
    ] as [Int64])
    func matchesFormatStyle(seconds: Int64) throws {
        let date = Date(timeIntervalSince1970: Double(seconds))
        let text = RFC3339.string(from: date)
        #expect(text == Self.reference(date))
        #expect(RFC3339.canonicalDate(text) == date)
        #expect(try Date.ISO8601FormatStyle(timeZone: .gmt).parse(text) == date)
    }

    @Test("5,000 spread-out instants from 1900 to 2200 agree with ISO8601FormatStyle")
    func spreadOfInstants() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let seconds = Int64.random(in: -2_208_988_800...7_258_118_400, using: &generator)
            let date = Date(timeIntervalSince1970: Double(seconds) + 0.75)
            let text = RFC3339.string(from: date)
            #expect(text == Self.reference(RFC3339.truncated(date)), "\(seconds)")
            #expect(RFC3339.date(from: text) == RFC3339.truncated(date), "\(text)")
        }
    }

    @Test("other RFC 3339 spellings still parse", arguments: [
        ("2026-11-25T10:41:07+01:00", 1_795_599_667.0),
        ("2026-11-25T09:41:07.250Z", 1_795_599_667.25),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func otherSpellings(text: String, seconds: Double) {
        #expect(RFC3339.date(from: text) == Date(timeIntervalSince1970: seconds))
    }

    @Test("not a canonical timestamp: left to ISO8601FormatStyle", arguments: [
        "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z",
        "2026-11-25T09:60:00Z", "2026-11-25 09:41:07Z", "2026-11-25T09:41:07", "yesterday", "", "2026-11-25T09:41:0xZ",
    ])
    func notCanonical(text: String) {
        #expect(RFC3339.canonicalDate(text) == nil)
    }
}
