import ArgumentParser

/// `copypt transfer`'s source: `COLLECTION_UUID:/absolute/path`, a folder when it ends in `/`.
struct TransferSourceArgument: Sendable, Hashable, ExpressibleByArgument {
    /// The source collection id, lower-case.
    var collection: String
    /// The absolute path in it.
    var path: String

    init(collection: String, path: String) {
        self.collection = collection
        self.path = path
    }

    init?(argument: String) {
        guard let parsed = try? Self.parse(argument) else { return nil }
        self = parsed
    }

    /// Parses `UUID:/path`, saying what is wrong.
    static func parse(_ text: String) throws -> TransferSourceArgument {
        guard let colon = text.firstIndex(of: ":") else {
            throw ValidationError("write the source as COLLECTION_UUID:/path/ (the Globus collection, a colon, the path in it)")
        }
        let collection = try AddArguments.collectionID(String(text[..<colon]))
        let path = String(text[text.index(after: colon)...])
        guard path.hasPrefix("/") else {
            throw ValidationError("the source path after the collection id is absolute, like \(collection):/data/run42/")
        }
        if path != "/" { _ = try AddArguments.globusPath(path) }
        guard path.utf8.count <= 4096 else { throw ValidationError("the source path is longer than 4096 bytes") }
        return TransferSourceArgument(collection: collection, path: path)
    }

    /// `true` for a folder (sent as one recursive item).
    var isFolder: Bool { path.hasSuffix("/") }
}
