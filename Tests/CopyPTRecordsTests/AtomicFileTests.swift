@testable import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct AtomicFileTests {
    @Test("a crash between temp write and rename leaves the old record, and the leftovers are ignored")
    func crashBeforeRename() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            var record = SampleRecords.waiting()
            try store.create(record)
            let path = store.recordURL(for: record.id).path

            // The "crashed" writer got as far as a complete, fsynced temp file…
            record.label = "new"
            let temporary = try AtomicFile.writeTemporary(RecordCoding.encode(record), beside: path)
            // …and another died half-way through writing its temp file.
            let half = try RecordCoding.encode(record).prefix(100)
            try Data(half).write(to: store.transfersDirectory.appendingPathComponent(".\(record.id).json.tmp-99-dead"))

            #expect(try store.load(record.id).label == "run 42")
            let listing = try store.loadAll()
            #expect(listing.records.map(\.label) == ["run 42"] && listing.problems.isEmpty)

            // Had it lived, the rename would have switched to the new record in one step.
            try AtomicFile.commit(temporary: temporary, to: path, replacing: true)
            #expect(try store.load(record.id).label == "new")
            #expect(!FileManager.default.fileExists(atPath: temporary))

            // And the next writer is not disturbed by what the dead one left.
            record.label = "newer"
            try store.save(record)
            #expect(try store.load(record.id).label == "newer")
        }
    }

    @Test("a reader in another process never sees half a record while it is rewritten")
    func concurrentReaderSeesWholeRecords() async throws {
        try await TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            var record = SampleRecords.waiting()
            try store.create(record)
            let ready = root.appendingPathComponent("ready").path
            let stop = root.appendingPathComponent("stop").path
            let reader = try ChildProcess("python3", ["-c", Self.readerScript, store.recordURL(for: record.id).path, ready, stop])
            #expect(await ChildProcess.waitUntil { FileManager.default.fileExists(atPath: ready) })

            for round in 0..<300 {
                // Sizes vary from ~1 KB to ~200 KB so a torn read would show as invalid JSON.
                record.label = "round \(round)"
                record.notes = Array(repeating: String(repeating: "n", count: 1000), count: (round * 37) % 200)
                try store.save(record)
            }
            _ = FileManager.default.createFile(atPath: stop, contents: nil)
            let result = await reader.finish()
            let figures = result.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            try #require(figures.count == 3, "reader said: \(result.stdout) \(result.stderr)")
            #expect(figures[0] > 0, "the reader read the record")
            #expect(figures[1] == 0, "torn reads: \(figures[1]) of \(figures[0])")
            #expect(try store.load(record.id).label == "round 299")
        }
    }

    @Test("AtomicFile.write replaces the file with mode 0600 and no temp file left behind")
    func writeReplaces() throws {
        try TemporaryDirectory.with { root in
            let target = root.appendingPathComponent("metrics.prom")
            try AtomicFile.write(Data("a 1\n".utf8), to: target)
            try AtomicFile.write(Data("a 2\n".utf8), to: target)
            #expect(try String(contentsOf: target, encoding: .utf8) == "a 2\n")
            #expect(try mode(target.path) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["metrics.prom"])
        }
    }

    /// Reads the record in a tight loop until told to stop; prints "reads torn labels".
    static let readerScript = """
        import json, os, sys
        path, ready, stop = sys.argv[1:4]
        open(ready, "w").close()
        reads = torn = 0
        labels = set()
        while not os.path.exists(stop):
            with open(path, "rb") as f:
                data = f.read()
            reads += 1
            try:
                labels.add(json.loads(data)["label"])
            except Exception:
                torn += 1
        print(reads, torn, len(labels))
        """
}
