import CopyPTJSON
import Foundation
import Testing

@testable import CopyPTGlobus

/// The pull reader for successful_transfers pages gives JSONDecoder's answer, or steps aside.
@Suite struct SuccessfulTransfersPullReadingTests {
    static func pullRead(_ bytes: [UInt8]) throws -> SuccessfulTransfersPage {
        try bytes.withUnsafeBufferPointer { try SuccessfulTransfersPage(pullReading: $0) }
    }

    static func decoded(_ bytes: [UInt8]) -> SuccessfulTransfersPage? {
        try? JSONDecoder().decode(SuccessfulTransfersPage.self, from: Data(bytes))
    }

    @Test("the documented pages read as JSONDecoder reads them", arguments: [
        "globus-successful-transfers-first", "globus-successful-transfers-last",
    ])
    func fixtures(name: String) throws {
        let bytes = Array(try Fixtures.data(name))
        #expect(try Self.pullRead(bytes) == Self.decoded(bytes))
    }

    @Test("markers, nulls, missing and unknown keys read as JSONDecoder reads them", arguments: [
        #"{"marker": 0, "next_marker": 17, "DATA": []}"#,
        #"{"marker": "a", "next_marker": null, "DATA": null}"#,
        #"{"DATA_TYPE": "successful_transfers", "DATA": [{"DATA_TYPE": "successful_transfer", "source_path": "/a", "destination_path": "/b", "size": null, "checksum": null, "extra": {"x": [1, true]}}]}"#,
        #"{"DATA": [{"source_path": "/a b/ü", "destination_path": "/c", "size": 12, "checksum": "ab", "checksum_algorithm": "MD5"}], "next_marker": -3}"#,
        " { \"DATA\" : [ ] } ",
        #"{"DATA": [{"source_path": "/\u00fc \ud83d\ude00", "destination_path": "/b"}]}"#,
    ])
    func same(json: String) throws {
        let bytes = Array(json.utf8)
        #expect(try Self.pullRead(bytes) == Self.decoded(bytes))
    }

    @Test("anything outside the reader's subset is left to JSONDecoder", arguments: [
        #"{"DATA": [{"source_path": "/\ud800", "destination_path": "/b"}]}"#,
        #"{"DATA": [{"destination_path": "/b"}]}"#,
        #"{"DATA": [{"source_path": "/a", "destination_path": "/b", "size": "12"}]}"#,
        #"{"DATA": [{"source_path": "/a", "destination_path": "/b", "size": 1.5}]}"#,
        #"{"marker": 1e3, "DATA": []}"#,
        #"[]"#,
        #"{"DATA": []} x"#,
    ])
    func declines(json: String) {
        #expect(throws: JSONPullReader.Unsupported.self) { try Self.pullRead(Array(json.utf8)) }
    }

    @Test("a page cut at any length reads as JSONDecoder reads it, or not at all")
    func truncated() throws {
        let bytes = Array(try Fixtures.data("globus-successful-transfers-first"))
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            if let page = try? Self.pullRead(prefix) {
                #expect(page == Self.decoded(prefix), "cut at \(length)")
            }
        }
    }
}
