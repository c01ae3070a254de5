import CopyPTRecords
import Foundation
import Testing

@Suite struct RecordIDTests {
    @Test("new ids are the UTC day and six hex digits")
    func format() {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<200).map { _ in RecordID.make(at: SampleRecords.addedAt, using: &generator) }
        for id in ids {
            #expect(id.count == 15 && id.hasPrefix("20261125-"), "\(id)")
            #expect(id.dropFirst(9).allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(RecordID.isValid(id))
        }
        #expect(Set(ids).count > 190)
    }

    @Test("only safe file names are record ids", arguments: [
        ("20261125-3f9a2c", true), ("a", true), ("A_b-9", true),
        ("", false), ("-x", false), (".x", false), ("..", false), ("../etc/passwd", false),
        ("a/b", false), ("a b", false), ("a.json", false), (String(repeating: "a", count: 65), false),
    ])
    func validity(id: String, valid: Bool) {
        #expect(RecordID.isValid(id) == valid)
    }
}
