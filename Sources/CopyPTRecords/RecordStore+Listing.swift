import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every record found, plus the files that could not be read as records.
public struct RecordListing: Sendable {
    /// The readable records, sorted by id.
    public var records: [TransferRecord]
    /// Files that were skipped, sorted by file name; they are left untouched.
    public var problems: [RecordProblem]

    /// A listing.
    public init(records: [TransferRecord] = [], problems: [RecordProblem] = []) {
        self.records = records
        self.problems = problems
    }
}

/// A record file that could not be loaded.
public struct RecordProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file's name inside `transfers/`, e.g. `20261125-3f9a2c.json`.
    public var fileName: String
    /// Why it was skipped.
    public var error: RecordError

    /// A problem with `fileName`.
    public init(fileName: String, error: RecordError) {
        self.fileName = fileName
        self.error = error
    }

    /// The error's one-line description (it names the file).
    public var description: String { error.description }
}

extension RecordStore {
    /// Loads every `<id>.json` under `transfers/`. A missing state directory is an empty listing
    /// (and is not created). A file that fails to load is reported in `problems` and the rest go on.
    /// - Throws: `RecordError.io` only when the directory exists but cannot be listed.
    public func loadAll() throws -> RecordListing {
        let directory = transfersDirectory.path
        guard let names = try Self.fileNames(in: directory) else { return RecordListing() }
        var listing = RecordListing()
        listing.records.reserveCapacity(names.count)
        let decoder = RecordCoding.makeDecoder()
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let id = String(name.dropLast(".json".count))
            let path = directory + "/" + name
            do {
                guard RecordID.isValid(id) else {
                    throw RecordError.corrupt(path: path, detail: "the file name is not <transfer id>.json (ids look like 20261125-3f9a2c)")
                }
                guard let data = try Self.read(path) else { continue }  // removed meanwhile
                let record = try RecordCoding.decode(data, path: path, decoder: decoder)
                guard record.id == id else {
                    throw RecordError.corrupt(path: path, detail: "its \"id\" is \(record.id), not the file name's \(id)")
                }
                listing.records.append(record)
            } catch let error as RecordError {
                listing.problems.append(RecordProblem(fileName: name, error: error))
            }
        }
        return listing
    }

    /// Names in `directory`, or `nil` when it does not exist.
    static func fileNames(in directory: String) throws -> [String]? {
        guard let handle = opendir(directory) else {
            if errno == ENOENT { return nil }
            throw RecordError.io(operation: "list", path: directory, errno: errno)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
