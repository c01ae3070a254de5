import CopyPTHTTP
import Foundation

// MARK: - Stage 1: the canonical request

extension SigV4Signer {
    /// Stage 1: the canonical request and its signed-header list.
    ///
    /// `METHOD \n canonical URI \n canonical query \n canonical headers \n \n signed headers \n payload hash`.
    func canonicalRequest(_ request: HTTPRequest, payloadHash: String) -> (text: String, signedHeaders: String) {
        canonicalRequest(request, parts: URLParts(request.url), payloadHash: payloadHash)
    }

    /// Stage 1 with the request's URL already split.
    func canonicalRequest(_ request: HTTPRequest, parts: URLParts, payloadHash: String) -> (text: String, signedHeaders: String) {
        let headers = Self.canonicalHeaders(request.headers)
        // Written as bytes, then made a String once: this runs for every request, and small
        // String appends were a large part of it (scripts/bench P1).
        var signed: [UInt8] = []
        signed.reserveCapacity(256)
        for header in headers {
            if !signed.isEmpty { signed.append(UInt8(ascii: ";")) }
            signed.append(contentsOf: header.name.utf8)
        }
        var text: [UInt8] = []
        text.reserveCapacity(1024)
        let newline = UInt8(ascii: "\n")
        text.append(contentsOf: request.method.rawValue.utf8)
        text.append(newline)
        text.append(contentsOf: canonicalURI(parts.path).utf8)
        text.append(newline)
        text.append(contentsOf: Self.canonicalQuery(parts.query).utf8)
        text.append(newline)
        for header in headers {
            text.append(contentsOf: header.name.utf8)
            text.append(UInt8(ascii: ":"))
            text.append(contentsOf: header.value.utf8)
            text.append(newline)
        }
        text.append(newline)
        text.append(contentsOf: signed)
        text.append(newline)
        text.append(contentsOf: payloadHash.utf8)
        return (String(decoding: text, as: UTF8.self), String(decoding: signed, as: UTF8.self))
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
        // An insertion sort (stable, so repeated names keep their order) of a dozen fields, then
        // equal names merged: no dictionary, set or sort buffer, since hashing every name and
        // the general sort were most of this for each request (scripts/bench P1).
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(headers.count)
        for field in headers {
            let name = asciiLowercased(field.name)
            guard !isUnsigned(name) else { continue }
            fields.append((name, trimAll(field.value)))
            // Header names are ASCII tokens (RFC 9110 §5.1), for which String order is byte order.
            var index = fields.count - 1
            while index > 0, fields[index].name < fields[index - 1].name {
                fields.swapAt(index, index - 1)
                index -= 1
            }
        }
        var merged: [(name: String, value: String)] = []
        merged.reserveCapacity(fields.count)
        for field in fields {
            if let last = merged.last, last.name == field.name {
                merged[merged.count - 1].value += "," + field.value
            } else {
                merged.append(field)
            }
        }
        return merged
    }

    /// `true` for the (lower-cased) headers never signed: they may be changed or added by
    /// proxies and HTTP stacks (botocore's `SIGNED_HEADERS_BLACKLIST`), and Authorization is
    /// the output.
    static func isUnsigned(_ name: String) -> Bool {
        // By length first: one string comparison at most per header.
        switch name.utf8.count {
        case 6: return name == "expect"
        case 10: return name == "user-agent"
        case 13: return name == "authorization"
        case 15: return name == "x-amzn-trace-id"
        case 17: return name == "transfer-encoding"
        default: return false
        }
    }

    /// `name` with ASCII upper-case letters lowered (header names are ASCII tokens); returned
    /// as is when it has none.
    static func asciiLowercased(_ name: String) -> String {
        func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        guard name.utf8.contains(where: isUpper) else { return name }
        return String(unsafeUninitializedCapacity: name.utf8.count) { out in
            for (index, byte) in name.utf8.enumerated() { out[index] = isUpper(byte) ? byte | 0x20 : byte }
            return name.utf8.count
        }
    }

    /// Trims a header value and collapses runs of spaces, tabs and line breaks to one space.
    static func trimAll(_ value: String) -> String {
        // Most values have nothing to fold: return them as they are, found byte by byte.
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var previousIsSpace = true  // a leading space needs folding too
            for byte in bytes {
                let isSpace = byte == 0x20
                if byte == 0x09 || byte == 0x0A || byte == 0x0D || (isSpace && previousIsSpace) { return false }
                previousIsSpace = isSpace
            }
            return !previousIsSpace
        }
        if plain == true { return value }
        return value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .joined(separator: " ")
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
