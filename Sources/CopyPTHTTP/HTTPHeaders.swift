/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// Order and duplicates are kept as given, because SigV4 signs exactly what is sent.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in the order they were added.
    public private(set) var fields: [(name: String, value: String)]

    /// Creates headers from name/value pairs, keeping their order.
    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the named field, or `nil`.
    public subscript(name: String) -> String? {
        get {
            fields.first { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }?.value
        }
        set {
            fields.removeAll { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }.map(\.value)
    }

    /// Appends a field, keeping any existing field of the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Makes room for `count` fields.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Removes every field with this name.
    public mutating func remove(name: String) {
        fields.removeAll { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }
    }

    /// `true` when at least one field has this name.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    /// Header names compare ASCII case-insensitively (RFC 9110 §5.1), without making lowercased
    /// copies: lookups happen several times per request.
    static func equalIgnoringASCIICase(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        // Over contiguous bytes when both have them (String's UTF-8 always does): the generic
        // zip over two UTF-8 views was most of a header lookup's cost (scripts/bench P1).
        let contiguous = lhs.withContiguousStorageIfAvailable { left in
            rhs.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where !sameIgnoringCase(left[index], right[index]) { return false }
                return true
            }
        }
        if let contiguous, let result = contiguous { return result }
        return zip(lhs, rhs).allSatisfy(sameIgnoringCase)
    }

    private static func sameIgnoringCase(_ a: UInt8, _ b: UInt8) -> Bool {
        a == b || (a | 0x20 == b | 0x20 && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(a | 0x20))
    }
}
