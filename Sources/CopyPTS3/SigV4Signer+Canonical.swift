import CopyPTHTTP
import Foundation

// MARK: - Stage 1: the canonical request

extension SigV4Signer {
    /// Stage 1: the canonical request and its signed-header list.
    ///
    /// `METHOD \n canonical URI \n canonical query \n canonical headers \n \n signed headers \n payload hash`.
    func canonicalRequest(_ request: HTTPRequest, payloadHash: String) -> (text: String, signedHeaders: String) {
        let (text, signed) = canonicalRequest(request, parts: URLParts(request.url), payloadHash: payloadHash)
        return (String(decoding: text, as: UTF8.self), String(decoding: signed, as: UTF8.self))
    }

    /// Stage 1 with the request's URL already split, as bytes: the canonical request and the
    /// `;`-joined signed header names.
    func canonicalRequest(_ request: HTTPRequest, parts: URLParts, payloadHash: String) -> (text: [UInt8], signedHeaders: [UInt8]) {
        // Written as bytes and hashed as bytes: this runs for every request, and String
        // building was most of its cost (scripts/bench P1).
        var text: [UInt8] = []
        text.reserveCapacity(1024)
        let newline = UInt8(ascii: "\n")
        text.append(contentsOf: request.method.rawValue.utf8)
        text.append(newline)
        text.append(contentsOf: canonicalURI(parts.path).utf8)
        text.append(newline)
        if !parts.query.isEmpty { text.append(contentsOf: Self.canonicalQuery(parts.query).utf8) }
        text.append(newline)
        var signed: [UInt8] = []
        signed.reserveCapacity(256)
        Self.writeCanonicalHeaders(request.headers, into: &text, signedHeaders: &signed)
        text.append(newline)
        text.append(contentsOf: signed)
        text.append(newline)
        text.append(contentsOf: payloadHash.utf8)
        return (text, signed)
    }

    /// The canonical URI for this signer's path style.
    func canonicalURI(_ path: String) -> String {
        switch canonicalURIStyle {
        case .verbatim:
            // S3 signs the bytes on the wire: the client already encoded each key once.
            return path.isEmpty ? "/" : path
        case .normalizedDoubleEncoded:
            // Other services canonicalise the path and encode it again, so a `%` sent on
            // the wire appears as `%25` here (botocore `quote(path, safe='/~')`).
            return S3PathEncoding.percentEncode(Array(Self.removeDotSegments(path).utf8), keepingSlash: true)
        }
    }

    /// RFC 3986 §5.2.4 dot-segment removal, also dropping empty segments as AWS services
    /// expect (`//a//` → `/a/`); an empty result is `/`.
    static func removeDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !output.isEmpty { output.removeLast() }
            default: output.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        let joined = leading + output.joined(separator: "/") + trailing
        return joined.isEmpty ? "/" : joined
    }

    /// The canonical query: each `name=value` decoded then re-encoded with the SigV4 rule
    /// (`%20`, upper-case hex), sorted by encoded name then value; a valueless `name` is `name=`.
    ///
    /// A raw `+` is a literal plus (RFC 3986), so it signs as `%2B`; copypt's clients never
    /// send `+` for a space.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(name: String, value: String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let eq = item.firstIndex(of: "=") {
                name = item[..<eq]
                value = item[item.index(after: eq)...]
            } else {
                name = item
                value = ""
            }
            pairs.append((
                S3PathEncoding.percentEncode(S3PathEncoding.percentDecode(name), keepingSlash: false),
                S3PathEncoding.percentEncode(S3PathEncoding.percentDecode(value), keepingSlash: false)
            ))
        }
        // Encoded text is ASCII, so comparing UTF-8 bytes is the byte order AWS specifies.
        pairs.sort { lhs, rhs in
            if lhs.name != rhs.name { return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8) }
            return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// The signed headers: lower-case names, values trimmed with inner whitespace runs
    /// collapsed to one space, repeated names joined with `,` in their order, sorted by name.
    static func canonicalHeaders(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
        var block: [UInt8] = []
        var signed: [UInt8] = []
        writeCanonicalHeaders(headers, into: &block, signedHeaders: &signed)
        return block.split(separator: UInt8(ascii: "\n")).map { line in
            let colon = line.firstIndex(of: UInt8(ascii: ":"))!
            return (String(decoding: line[..<colon], as: UTF8.self), String(decoding: line[(colon + 1)...], as: UTF8.self))
        }
    }

    /// Appends the canonical header lines (`name:value\n` each, as ``canonicalHeaders(_:)``
    /// describes) to `text` and the `;`-joined names to `signedHeaders`.
    static func writeCanonicalHeaders(_ headers: HTTPHeaders, into text: inout [UInt8], signedHeaders: inout [UInt8]) {
        // Each signed field is copied once into `scratch` (name lower-cased, value folded) and
        // kept in order by an insertion sort over offsets — stable, so repeated names keep their
        // order — with no String, dictionary or set made per field: hashing, sorting, String
        // building and byte-by-byte appends were most of the signing cost (scripts/bench P1).
        struct Field {
            var name: Range<Int>
            var value: Range<Int>
        }
        var capacity = 0
        for header in headers { capacity += header.name.utf8.count + header.value.utf8.count }
        var fields: [Field] = []
        fields.reserveCapacity(headers.count)
        let scratch = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var used = 0
            for header in headers {
                let nameStart = used
                used = copy(header.name, to: buffer, at: used, lowercasing: true)
                let name = nameStart..<used
                if isUnsigned(UnsafeBufferPointer(rebasing: buffer[name])) {
                    used = nameStart
                    continue
                }
                let valueStart = used
                used = copy(header.value, to: buffer, at: used, lowercasing: false)
                fields.append(Field(name: name, value: valueStart..<used))
                // Header names are ASCII tokens (RFC 9110 §5.1): byte order is the order AWS wants.
                var index = fields.count - 1
                while index > 0, compare(UnsafeBufferPointer(buffer), fields[index].name, fields[index - 1].name) < 0 {
                    fields.swapAt(index, index - 1)
                    index -= 1
                }
            }
            count = used
        }
        scratch.withUnsafeBufferPointer { scratch in
            var previous: Range<Int>?
            for field in fields {
                if let previous, compare(scratch, previous, field.name) == 0 {
                    text.append(UInt8(ascii: ","))
                } else {
                    if previous != nil {
                        text.append(UInt8(ascii: "\n"))
                        signedHeaders.append(UInt8(ascii: ";"))
                    }
                    text.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[field.name]))
                    text.append(UInt8(ascii: ":"))
                    signedHeaders.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[field.name]))
                    previous = field.name
                }
                text.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[field.value]))
            }
            if previous != nil { text.append(UInt8(ascii: "\n")) }
        }
    }

    /// Copies a name (ASCII letters lowered) or a value (trimmed, with runs of spaces, tabs and
    /// line breaks folded to one space) into `buffer` from `start`; returns the end.
    private static func copy(_ text: String, to buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int, lowercasing: Bool) -> Int {
        func write(_ source: UnsafeBufferPointer<UInt8>) -> Int {
            var end = start
            if lowercasing {
                for byte in source {
                    buffer[end] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                    end += 1
                }
                return end
            }
            var pendingSpace = false
            for byte in source {
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    pendingSpace = end > start
                } else {
                    if pendingSpace {
                        buffer[end] = 0x20
                        end += 1
                        pendingSpace = false
                    }
                    buffer[end] = byte
                    end += 1
                }
            }
            return end
        }
        if let end = text.utf8.withContiguousStorageIfAvailable(write) { return end }
        return Array(text.utf8).withUnsafeBufferPointer(write)
    }

    /// Byte order of two ranges of `buffer`, as `memcmp` gives it with the shorter first on a tie.
    private static func compare(_ buffer: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(buffer.baseAddress! + a.lowerBound, buffer.baseAddress! + b.lowerBound, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    /// `true` for the (lower-cased) headers never signed: they may be changed or added by
    /// proxies and HTTP stacks (botocore's `SIGNED_HEADERS_BLACKLIST`), and Authorization is
    /// the output.
    static func isUnsigned(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        // By length first: one comparison at most per header.
        switch name.count {
        case 6: return name.elementsEqual("expect".utf8)
        case 10: return name.elementsEqual("user-agent".utf8)
        case 13: return name.elementsEqual("authorization".utf8)
        case 15: return name.elementsEqual("x-amzn-trace-id".utf8)
        case 17: return name.elementsEqual("transfer-encoding".utf8)
        default: return false
        }
    }
}

// MARK: - Timestamp

/// The two renderings of the signing time SigV4 uses, in UTC.
struct SigV4Timestamp: Sendable, Equatable {
    /// `yyyyMMdd'T'HHmmss'Z'`, the `x-amz-date` value.
    let dateTime: String
    /// `yyyyMMdd`, the scope's date.
    let day: String

    /// Renders `date` (whole seconds, UTC) without a DateFormatter, which is neither
    /// cheap nor `Sendable`.
    init(_ date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, dayOfMonth) = Self.civil(fromDays: days)
        if (0...9999).contains(year) {
            // Digits written in place: this runs for every request.
            dateTime = String(unsafeUninitializedCapacity: 16) { out in
                func put(_ value: Int, _ width: Int, at offset: Int) {
                    var value = value
                    for position in stride(from: offset + width - 1, through: offset, by: -1) {
                        out[position] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, 4, at: 0)
                put(month, 2, at: 4)
                put(dayOfMonth, 2, at: 6)
                out[8] = UInt8(ascii: "T")
                put(secondOfDay / 3600, 2, at: 9)
                put(secondOfDay / 60 % 60, 2, at: 11)
                put(secondOfDay % 60, 2, at: 13)
                out[15] = UInt8(ascii: "Z")
                return 16
            }
            day = String(dateTime.prefix(8))
            return
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        day = pad(year, 4) + pad(month, 2) + pad(dayOfMonth, 2)
        dateTime = day + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
