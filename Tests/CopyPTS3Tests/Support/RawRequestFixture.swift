import CopyPTHTTP
import Foundation
import Testing

/// Reads the SigV4 suites' raw HTTP request files (`.req`, `request.txt`) into ``HTTPRequest``s.
enum RawRequestFixture {
    /// The parts of a raw request file.
    struct Parsed {
        var method: HTTPMethod
        /// The request-target exactly as written (may hold raw spaces or UTF-8).
        var target: String
        var headers: HTTPHeaders
        var body: [UInt8]
        var host: String { headers["host"] ?? "" }
    }

    /// Loads a fixture file as text.
    static func text(_ path: String) throws -> String {
        let url = try #require(fixtureURL(path), "missing fixture \(path)")
        return try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\r", with: "")
    }

    /// `Fixtures/<path>` inside the test bundle.
    static func fixtureURL(_ path: String) -> URL? {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().relativePath
        return Bundle.module.url(
            forResource: url.deletingPathExtension().lastPathComponent,
            withExtension: url.pathExtension.isEmpty ? nil : url.pathExtension,
            subdirectory: dir == "." ? "Fixtures" : "Fixtures/\(dir)"
        )
    }

    /// Parses a raw request: request line, `Name:value` headers (a line starting with
    /// whitespace continues the previous value, obsolete line folding), blank line, body.
    static func parse(_ raw: String) throws -> Parsed {
        let headEnd = raw.range(of: "\n\n")
        let head = headEnd.map { String(raw[..<$0.lowerBound]) } ?? raw
        let body = headEnd.map { Array(raw[$0.upperBound...].utf8) } ?? []
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        let requestLine = lines.removeFirst()
        let firstSpace = try #require(requestLine.firstIndex(of: " "))
        let method = try #require(HTTPMethod(rawValue: String(requestLine[..<firstSpace])))
        var target = requestLine[requestLine.index(after: firstSpace)...]
        // The target may itself hold spaces (normalize-path/get-space), so cut at the last " HTTP/".
        if let version = target.range(of: " HTTP/", options: .backwards) {
            target = target[..<version.lowerBound]
        }
        var fields: [(String, String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].1 += "\n" + line
                continue
            }
            let colon = try #require(line.firstIndex(of: ":"))
            fields.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        return Parsed(method: method, target: String(target), headers: HTTPHeaders(fields), body: body)
    }
}
