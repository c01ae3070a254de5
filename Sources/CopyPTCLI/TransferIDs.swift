import CopyPTRecords
import Foundation

/// Turns what a user typed for a transfer id into the id: the whole id, or any unique end of
/// it (`bb0989` for `20261125-bb0989`), as git accepts a short commit hash.
enum TransferIDs {
    /// The id in `ids` that `text` names: itself, else the one id ending in `text`.
    /// - Returns: `nil` when no id matches.
    /// - Throws: `CLIError.ambiguousTransfer` when several ids end in `text`.
    static func resolve(_ text: String, among ids: some Collection<String>) throws -> String? {
        if ids.contains(text) { return text }
        guard !text.isEmpty else { return nil }
        let matches = ids.filter { $0.hasSuffix(text) }.sorted()
        guard matches.count <= 1 else { throw CLIError.ambiguousTransfer(text, matches: matches) }
        return matches.first
    }

    /// The id `text` names in `store`, or `text` itself when none matches (the caller's own
    /// lookup then says it does not exist).
    static func resolve(_ text: String, in store: RecordStore) throws -> String {
        try resolve(text, among: ids(in: store)) ?? text
    }

    /// The ids of the record files in `store` (none when the directory does not exist).
    static func ids(in store: RecordStore) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.transfersDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }
    }
}
