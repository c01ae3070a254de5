import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct RecordStoreTests {
    @Test("create then load returns the same record, from <root>/transfers/<id>.json")
    func createLoad() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root.appendingPathComponent("state"))
            let record = SampleRecords.busy()
            try store.create(record)
            #expect(try store.load(record.id) == record)
            let file = root.appendingPathComponent("state/transfers/\(record.id).json").path
            #expect(FileManager.default.fileExists(atPath: file))
            #expect(try mode(file) == 0o600)
        }
    }

    @Test("the state directory and transfers/ are created 0700 whatever the umask")
    func privateDirectories() throws {
        try TemporaryDirectory.with { root in
            let previous = umask(0o002)
            defer { umask(previous) }
            let store = RecordStore(root: root.appendingPathComponent("deep/er/copypt"))
            try store.create(SampleRecords.waiting())
            #expect(try mode(store.root.path) == 0o700)
            #expect(try mode(store.transfersDirectory.path) == 0o700)
        }
    }

    @Test("a state path that is a file is a one-line error naming it")
    func rootIsFile() throws {
        try TemporaryDirectory.with { root in
            let file = root.appendingPathComponent("state")
            try Data("x".utf8).write(to: file)
            #expect(throws: RecordError.io(operation: "create directory", path: file.path, errno: ENOTDIR)) {
                try RecordStore(root: file).prepare()
            }
        }
    }

    @Test("create never overwrites an existing id")
    func createRefusesExisting() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting())
            var other = SampleRecords.waiting()
            other.label = "other"
            #expect(throws: RecordError.alreadyExists(id: other.id, path: store.recordURL(for: other.id).path)) {
                try store.create(other)
            }
            #expect(try store.load(other.id).label == "run 42")
        }
    }

    @Test("load reports unknown, unsafe and mismatched ids")
    func loadErrors() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            #expect(throws: RecordError.notFound(id: "20261125-aaaaaa", path: store.recordURL(for: "20261125-aaaaaa").path)) {
                try store.load("20261125-aaaaaa")
            }
            #expect(throws: RecordError.invalidID("../../etc/passwd")) { try store.load("../../etc/passwd") }
            try store.create(SampleRecords.waiting())
            try FileManager.default.copyItem(at: store.recordURL(for: "20261125-3f9a2c"), to: store.recordURL(for: "copy"))
            #expect(throws: RecordError.self) { try store.load("copy") }
        }
    }

    @Test("loadAll on a missing state directory is empty and creates nothing")
    func loadAllMissing() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root.appendingPathComponent("nope"))
            let listing = try store.loadAll()
            #expect(listing.records.isEmpty && listing.problems.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: store.root.path))
        }
    }

    @Test("loadAll reports corrupt and unknown-version files by name, leaves them untouched, loads the rest")
    func loadAllSkipsBadFiles() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting(id: "20261125-000001"))
            try store.create(SampleRecords.busy(id: "20261125-000003"))
            let dir = store.transfersDirectory
            let truncated = Data(try RecordCoding.encode(SampleRecords.waiting(id: "20261125-000002")).prefix(80))
            let future = Data(#"{"version": 2, "id": "20261125-000004"}"#.utf8)
            try truncated.write(to: dir.appendingPathComponent("20261125-000002.json"))
            try future.write(to: dir.appendingPathComponent("20261125-000004.json"))
            try Data("{}".utf8).write(to: dir.appendingPathComponent("bad name.json"))
            // Sidecars and leftovers that are not records.
            for name in ["20261125-000001.lock", "20261125-000001.journal", ".20261125-000001.json.tmp-1-ab", "README"] {
                try Data("junk".utf8).write(to: dir.appendingPathComponent(name))
            }

            let listing = try store.loadAll()
            #expect(listing.records.map(\.id) == ["20261125-000001", "20261125-000003"])
            #expect(listing.problems.map(\.fileName) == ["20261125-000002.json", "20261125-000004.json", "bad name.json"])
            #expect(listing.problems[1].error == .unsupportedVersion(path: dir.appendingPathComponent("20261125-000004.json").path, version: 2))
            for problem in listing.problems {
                #expect(problem.description.contains(problem.fileName), "\(problem)")
                #expect(!problem.description.contains("\n"))
            }
            #expect(try Data(contentsOf: dir.appendingPathComponent("20261125-000002.json")) == truncated)
            #expect(try Data(contentsOf: dir.appendingPathComponent("20261125-000004.json")) == future)
        }
    }

    @Test("withLock saves what the body changed, and nothing when it changed nothing")
    func withLockSaves() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting())
            let id = SampleRecords.waiting().id
            let before = try inode(store.recordURL(for: id).path)
            let untouched = try store.withLock(id) { record in record.state }
            #expect(untouched == .acquired(.waiting))
            #expect(try inode(store.recordURL(for: id).path) == before)

            let changed = try store.withLock(id) { record in
                record.state = .copying
                record.touch(at: SampleRecords.addedAt.addingTimeInterval(5))
                return 1
            }
            #expect(changed == .acquired(1))
            #expect(try store.load(id).state == .copying)
        }
    }

    @Test("withLock saves nothing when the body throws")
    func withLockThrows() throws {
        struct Stop: Error {}
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting())
            #expect(throws: Stop.self) {
                try store.withLock(SampleRecords.waiting().id) { record in
                    record.state = .failed
                    throw Stop()
                }
            }
            #expect(try store.load(SampleRecords.waiting().id).state == .waiting)
        }
    }

    @Test("withLock on an unknown id fails without leaving a lock file")
    func withLockUnknown() throws {
        try TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.prepare()
            #expect(throws: RecordError.self) { try store.withLock("20261125-ffffff") { _ in } }
            #expect(!FileManager.default.fileExists(atPath: store.lockURL(for: "20261125-ffffff").path))
        }
    }

    @Test("async withLock holds the lock across suspension points")
    func asyncWithLock() async throws {
        try await TemporaryDirectory.with { root in
            let store = RecordStore(root: root)
            try store.create(SampleRecords.waiting())
            let id = SampleRecords.waiting().id
            let outcome = try await store.withLock(id) { record in
                try await Task.sleep(for: .milliseconds(20))
                let inner = try store.withLock(id) { _ in 0 }
                record.attempts += 1
                return inner.isBusy
            }
            #expect(outcome == .acquired(true))
            #expect(try store.load(id).attempts == 1)
        }
    }
}

/// Permission bits of `path`.
func mode(_ path: String) throws -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { throw RecordError.io(operation: "stat", path: path, errno: errno) }
    return info.st_mode & 0o7777
}

/// Inode number of `path` (changes when the file is replaced by rename).
func inode(_ path: String) throws -> UInt64 {
    var info = stat()
    guard stat(path, &info) == 0 else { throw RecordError.io(operation: "stat", path: path, errno: errno) }
    return UInt64(info.st_ino)
}
