/// The INI dialect of the AWS shared files, as botocore's `configloader` reads it.
///
/// - `[section]` headers; `key = value` (or `key: value`) lines; keys lower-cased, values trimmed.
/// - Whole-line comments start with `#` or `;`; an inline ` #`/` ;` after a value also starts
///   a comment (values such as keys, ARNs and URLs never contain a space).
/// - A key with an empty value followed by indented `name = value` lines is a subsection
///   (`s3 =` / `  addressing_style = path`); an indented line after a non-empty value continues it.
enum INIFile {
    struct Section: Equatable {
        var name: String
        var values: [String: String] = [:]
        var subsections: [String: [String: String]] = [:]
    }

    /// Parses `text`; `path` only names the file in errors.
    static func parse(_ text: String, path: String) throws -> [Section] {
        var sections: [Section] = []
        var lastKey: String?
        // "\r\n" is one Character in Swift, so split on every line-break form (CRLF files
        // come from Windows editors).
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"

            if !indented, trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw CredentialError.invalidFile(path: path, line: lineNumber, reason: "section header without ]")
                }
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                sections.append(Section(name: name))
                lastKey = nil
                continue
            }
            guard !sections.isEmpty else {
                throw CredentialError.invalidFile(path: path, line: lineNumber, reason: "setting before any [section]")
            }
            let current = sections.count - 1
            if indented, let key = lastKey {
                if let parent = sections[current].values[key], !parent.isEmpty {
                    sections[current].values[key] = parent + "\n" + trimmed
                } else {
                    let (name, value) = try split(trimmed, path: path, line: lineNumber)
                    sections[current].subsections[key, default: [:]][name] = value
                }
                continue
            }
            let (key, value) = try split(trimmed, path: path, line: lineNumber)
            sections[current].values[key] = value
            lastKey = key
        }
        return sections
    }

    /// Splits `key = value` at the first `=` (or `:`), dropping an inline comment.
    private static func split(_ line: String, path: String, line number: Int) throws -> (String, String) {
        guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            throw CredentialError.invalidFile(path: path, line: number, reason: "expected key = value")
        }
        let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
        guard !key.isEmpty else {
            throw CredentialError.invalidFile(path: path, line: number, reason: "empty key")
        }
        var value = Substring(line[line.index(after: separator)...])
        if let comment = value.firstRange(of: " #") ?? value.firstRange(of: "\t#")
            ?? value.firstRange(of: " ;") ?? value.firstRange(of: "\t;") {
            value = value[..<comment.lowerBound]
        }
        return (key, value.trimmingCharacters(in: .whitespaces))
    }
}
