import Foundation
import PropertyBased
import Testing

@testable import CopyPTGlobus

/// The successful_transfers page reader held to JSONDecoder on the documented pages damaged at
/// random: byte flips and inserted quotes, brackets, escapes and values. Whenever the pull
/// reader answers, JSONDecoder gives the same page; otherwise it steps aside.
@Suite struct SuccessfulTransfersPullReadingPropertyTests {
    static let pages: [[UInt8]] = ["globus-successful-transfers-first", "globus-successful-transfers-last"]
        .compactMap { try? Array(Fixtures.data($0)) }

    @Test("a damaged page is read as JSONDecoder reads it, or left to JSONDecoder; never a crash")
    func damaged() async throws {
        try #require(Self.pages.count == 2)
        await propertyCheck(count: 400, input: Gen.int(in: 0...1), Gen<UInt64>.value(in: 0...UInt64.max)) { which, seed in
            var random = Xoshiro(seed: (seed, ~seed, 0x9E37_79B9_7F4A_7C15, 1))
            var bytes = Self.pages[which]
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                if Bool.random(using: &random) {
                    bytes[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                } else {
                    let inserts = ["\"", "[", "]", "{", "}", ",", ":", "\\", "\\u00fc", "null", "12", "-", "[[[[", "\"x\": 1,", "1.5"]
                    bytes.insert(contentsOf: Array((inserts.randomElement(using: &random) ?? "\"").utf8), at: position)
                }
            }
            if let page = try? SuccessfulTransfersPullReadingTests.pullRead(bytes) {
                #expect(page == SuccessfulTransfersPullReadingTests.decoded(bytes), "\(String(reflecting: String(decoding: bytes, as: UTF8.self)))")
            }
        }
    }
}
