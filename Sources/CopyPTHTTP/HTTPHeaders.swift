/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// Order and duplicates are kept as given, because SigV4 signs exactly what is sent.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in the order they were added.
    public var fields: [(name: String, value: String)] {
        switch storage {
        case .fields(let fields): return fields
        case .block(let block): return block.fields
        }
    }

    /// Fields as Strings, or — for a response as it arrived — one block of bytes read into
    /// Strings only for the fields asked for: a reply carries a dozen headers, a caller reads two
    /// or three, and making every name and value a String was a visible share of a small
    /// copy's CPU (scripts/bench P1). Any change turns a block into fields first.
    private var storage: Storage

    private enum Storage: Sendable {
        case fields([(name: String, value: String)])
        case block(Block)
    }

    /// Header lines kept as bytes: each field's trimmed name and value are ranges of `bytes`.
    struct Block: Sendable {
        private(set) var bytes: [UInt8] = []
        private(set) var ranges: [(name: Range<Int>, value: Range<Int>)] = []

        /// Appends one field, given as its trimmed name and value bytes.
        mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
            if ranges.isEmpty {
                // Room for a typical reply's headers at once, rather than growing by doubling.
                bytes.reserveCapacity(1024)
                ranges.reserveCapacity(16)
            }
            let nameStart = bytes.count
            bytes.append(contentsOf: name)
            let valueStart = bytes.count
            bytes.append(contentsOf: value)
            ranges.append((nameStart..<valueStart, valueStart..<bytes.count))
        }

        /// Drops every field (a new status line starts a new block).
        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
        }

        func text(_ range: Range<Int>) -> String {
            bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
        }

        /// Where the fields named `name` have their values, in order.
        func values(named name: String) -> [Range<Int>] {
            ranges.filter { isNamed($0.name, name) }.map(\.value)
        }

        /// Where the first field named `name` has its value.
        func firstValue(named name: String) -> Range<Int>? {
            ranges.first { isNamed($0.name, name) }?.value
        }

        private func isNamed(_ range: Range<Int>, _ name: String) -> Bool {
            bytes.withUnsafeBufferPointer { HTTPHeaders.equalIgnoringASCIICase(UnsafeBufferPointer(rebasing: $0[range]), name.utf8) }
        }

        var fields: [(name: String, value: String)] { ranges.map { (text($0.name), text($0.value)) } }
    }

    /// Creates headers from name/value pairs, keeping their order.
    public init(_ fields: [(String, String)] = []) {
        storage = .fields(fields.map { (name: $0.0, value: $0.1) })
    }

    /// Headers read from a block of received header lines.
    init(block: Block) {
        storage = .block(block)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The fields as Strings, for a change.
    private var mutableFields: [(name: String, value: String)] {
        get { fields }
        _modify {
            var fields = self.fields
            storage = .fields([])
            defer { storage = .fields(fields) }
            yield &fields
        }
    }

    /// The first value of the named field, or `nil`.
    public subscript(name: String) -> String? {
        get {
            switch storage {
            case .fields(let fields):
                return fields.first { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }?.value
            case .block(let block):
                return block.firstValue(named: name).map(block.text)
            }
        }
        set {
            mutableFields.removeAll { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }
            if let newValue { mutableFields.append((name: name, value: newValue)) }
        }
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        switch storage {
        case .fields(let fields):
            return fields.filter { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }.map(\.value)
        case .block(let block):
            return block.values(named: name).map(block.text)
        }
    }

    /// Appends a field, keeping any existing field of the same name.
    public mutating func add(name: String, value: String) {
        mutableFields.append((name: name, value: value))
    }

    /// Makes room for `count` fields.
    public mutating func reserveCapacity(_ count: Int) {
        mutableFields.reserveCapacity(count)
    }

    /// Removes every field with this name.
    public mutating func remove(name: String) {
        mutableFields.removeAll { Self.equalIgnoringASCIICase($0.name.utf8, name.utf8) }
    }

    /// `true` when at least one field has this name.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    public var count: Int {
        switch storage {
        case .fields(let fields): return fields.count
        case .block(let block): return block.ranges.count
        }
    }

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
