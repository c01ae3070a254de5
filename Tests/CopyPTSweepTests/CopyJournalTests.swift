import CopyPTRecords
@testable import CopyPTSweep
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct CopyJournalTests {
    @Test("appended entries replay: done objects, open uploads, deleted staging keys")
    func appendAndReplay() async throws {
        try await TemporaryDirectory.with("copypt-journal") { dir in
            let path = dir.appendingPathComponent("t.journal").path
            let journal = try CopyJournal(path: path)
            try await journal.append([
                .upload(destinationKey: "out/big", uploadID: "u-1"),
                .upload(destinationKey: "out/big2", uploadID: "u-2"),
                .done(destinationKey: "out/a", eTag: "\"e1\"", size: 10),
                .done(destinationKey: "out/big", eTag: "\"e2-3\"", size: 300),
                .deleted(stagingKey: "run/a"),
            ])
            try await journal.sync()
            await journal.close()
            let state = try CopyJournal.replay(path: path)
            #expect(state.done == ["out/a": 10, "out/big": 300])
            #expect(state.uploads == ["out/big2": "u-2"])
            #expect(state.deleted == ["run/a"])
            #expect(state.bytesDone == 310)
            #expect(state.unreadableLines == 0)
        }
    }

    @Test("the documented line format: one JSON object per line")
    func lineFormat() async throws {
        try await TemporaryDirectory.with("copypt-journal") { dir in
            let path = dir.appendingPathComponent("t.journal").path
            let journal = try CopyJournal(path: path)
            try await journal.append([.upload(destinationKey: "o/ü b", uploadID: "x"), .done(destinationKey: "o/a/b", eTag: "\"e\"", size: 3)])
            await journal.close()
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == "{\"id\":\"x\",\"upload\":\"o/ü b\"}\n{\"done\":\"o/a/b\",\"etag\":\"\\\"e\\\"\",\"size\":3}\n")
        }
    }

    static let awkwardKeys: [String] = [
        "plain/key.txt", "quote\" and \\ backslash", "a/b/c", "tab\tnew\nline\r", "é 日本 😀 \u{2028}",
        String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}", "",
    ]

    @Test("each line is byte for byte what JSONEncoder writes (sorted keys, unescaped slashes)", arguments: awkwardKeys)
    func lineMatchesJSONEncoder(key: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let entries: [JournalEntry] = [
            .upload(destinationKey: key, uploadID: key + "-id"),
            .done(destinationKey: key, eTag: "\"\(key)\"", size: 0),
            .done(destinationKey: key, eTag: "e-3", size: TransferRecord.counterLimit),
            .deleted(stagingKey: key),
        ]
        for entry in entries {
            let expected = Array(try encoder.encode(entry.line)) + [0x0A]
            #expect(entry.jsonLine == expected, "\(entry)")
            let decoded = try JSONDecoder().decode(JournalEntry.Line.self, from: Data(entry.jsonLine.dropLast()))
            #expect(JournalEntry(decoded) == entry)
        }
        // Int64.max is still written as JSONEncoder would, but read back as no entry (out of range).
        let huge = JournalEntry.done(destinationKey: key, eTag: "e-3", size: Int64.max)
        #expect(huge.jsonLine == Array(try encoder.encode(huge.line)) + [0x0A])
    }

    @Test("a last line cut short by a kill is skipped, and the next entry starts on a new line")
    func truncatedLastLine() async throws {
        try await TemporaryDirectory.with("copypt-journal") { dir in
            let path = dir.appendingPathComponent("t.journal").path
            try Data("{\"done\":\"a\",\"etag\":\"e\",\"size\":1}\n{\"done\":\"b\",\"et".utf8).write(to: URL(fileURLWithPath: path))
            var state = try CopyJournal.replay(path: path)
            #expect(state.done == ["a": 1])
            #expect(state.unreadableLines == 1)
            let journal = try CopyJournal(path: path)
            try await journal.append([.done(destinationKey: "c", eTag: "e", size: 2)])
            await journal.close()
            state = try CopyJournal.replay(path: path)
            #expect(state.done == ["a": 1, "c": 2])
            #expect(state.unreadableLines == 1)
        }
    }

    @Test("a missing journal is an empty state; remove tolerates a missing file")
    func missing() throws {
        let path = "/nonexistent-\(UUID().uuidString)/t.journal"
        #expect(try CopyJournal.replay(path: path) == JournalState())
        try CopyJournal.remove(path: FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path)
    }

    @Test("a full disk while journalling is a transient journal error that says the disk is full")
    func fullDisk() async throws {
        let journal = try CopyJournal(path: "/dev/full")
        do {
            try await journal.append([.deleted(stagingKey: "a")])
            Issue.record("writing to /dev/full succeeded")
        } catch let error as SweepError {
            #expect(error == .journal(path: "/dev/full", operation: "write", errno: ENOSPC))
            #expect(error.kind == .transient)
            #expect(error.description.contains("the file system is full or over quota; free space there, the next run retries"))
        }
        await journal.close()
    }

    @Test("a journal that cannot be opened is a journal error naming the path")
    func unopenable() {
        #expect(throws: SweepError.self) { try CopyJournal(path: "/nonexistent-\(UUID().uuidString)/t.journal") }
    }
}
