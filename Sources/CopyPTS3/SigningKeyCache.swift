import Foundation

/// The last SigV4 signing key derived, shared by every signer in the process (held in
/// memory only, like the credentials it comes from).
final class SigningKeyCache: @unchecked Sendable {
    /// What a signing key is derived from.
    struct Entry: Equatable {
        var secret: String
        var day: String
        var region: String
        var service: String
    }

    static let shared = SigningKeyCache()

    private let lock = NSLock()
    private var last: (entry: Entry, key: [UInt8])?

    /// The key derived for `entry`, if it is the last one derived.
    func key(for entry: Entry) -> [UInt8]? {
        lock.withLock { last?.entry == entry ? last?.key : nil }
    }

    /// Remembers `key` as derived for `entry`.
    func store(_ key: [UInt8], for entry: Entry) {
        lock.withLock { last = (entry, key) }
    }
}
