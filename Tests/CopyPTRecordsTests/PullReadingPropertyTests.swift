@testable import CopyPTRecords
import CopyPTJSON
import Foundation
import PropertyBased
import Testing

/// TransferRecord's pull reader held to its Decodable conformance (JSONDecoder) on records
/// damaged at random: byte flips and inserted quotes, brackets, escapes and values. Whenever the
/// pull reader answers, JSONDecoder gives the same record; otherwise it steps aside.
@Suite struct PullReadingPropertyTests {
    static let records: [Data] = [SampleRecords.waiting(), SampleRecords.busy(), SampleRecords.waiting(label: nil)]
        .compactMap { try? RecordCoding.encode($0) }

    @Test("a damaged record is read as JSONDecoder reads it, or left to JSONDecoder; never a crash")
    func damaged() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...2), Gen<UInt64>.value(in: 0...UInt64.max)) { which, seed in
            var random = Xoshiro(seed: (seed, ~seed, 0x9E37_79B9_7F4A_7C15, 1))
            var bytes = Array(Self.records[which])
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                if Bool.random(using: &random) {
                    bytes[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
                } else {
                    let inserts = ["\"", "[", "]", "{", "}", ",", ":", "\\", "\\u00e9", "null", "1", "-", "[[[[", "\"x\": 1,"]
                    bytes.insert(contentsOf: Array((inserts.randomElement(using: &random) ?? "\"").utf8), at: position)
                }
            }
            let data = Data(bytes)
            let reference = try? RecordCoding.makeDecoder().decode(TransferRecord.self, from: data)
            if let pulled = try? TransferRecord(pullReading: data) {
                #expect(pulled == reference, "\(String(reflecting: String(decoding: bytes, as: UTF8.self)))")
            }
        }
    }
}
