/// The INI dialect of the AWS shared files, as botocore's `configloader` reads it
/// (`configparser.RawConfigParser`, strict): property tests hold the two together.
///
/// - `[section]` headers, the name running to the last `]` (anything after it is ignored);
///   `key = value` (or `key: value`) lines; keys lower-cased, values trimmed.
/// - A section or key given twice (keys compared lower-cased) makes the file unreadable, as it
///   does for botocore, rather than one silently winning.
/// - Whole-line comments start with `#` or `;`; an inline ` #`/` ;` after a value also starts
///   a comment (values such as keys, ARNs and URLs never contain a space). botocore keeps such
///   text in the value: the one deliberate difference.
/// - A key with an empty value followed by indented `name = value` lines is a subsection
///   (`s3 =` / `  addressing_style = path`; split at `=` only, names kept as written, as
///   botocore's `_parse_nested` does); a line indented deeper than its key's line, after a
///   non-empty value, continues that value (blank lines between kept as configparser keeps them).
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
        var lastKeyIndent = 0  // a continuation is indented deeper than its key's line
        var blankLines = 0  // kept inside a continued value, as configparser keeps them
        // "\r\n" is one Character in Swift, so split on every line-break form (CRLF files
        // come from Windows editors).
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            func invalid(_ reason: String) -> CredentialError {
                CredentialError.invalidFile(path: path, line: lineNumber, reason: reason)
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                blankLines += 1
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            defer { blankLines = 0 }

            if indent > lastKeyIndent, let key = lastKey, !sections.isEmpty {
                let current = sections.count - 1
                if let parent = sections[current].values[key], !parent.isEmpty {
                    sections[current].values[key] = parent + String(repeating: "\n", count: blankLines + 1) + trimmed
                } else {
                    guard let equals = trimmed.firstIndex(of: "=") else { throw invalid("expected name = value in the [\(key)] block") }
                    let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                    let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                    sections[current].subsections[key, default: [:]][name] = value
                }
                continue
            }
            if trimmed.hasPrefix("["), let close = trimmed.lastIndex(of: "]") {
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
                guard !name.isEmpty else { throw invalid("section header without a name") }
                let trimmedName = name.trimmingCharacters(in: .whitespaces)
                guard !sections.contains(where: { $0.name == trimmedName }) else { throw invalid("section [\(trimmedName)] appears twice") }
                sections.append(Section(name: trimmedName))
                lastKey = nil
                continue
            }
            if trimmed.hasPrefix("["), sections.isEmpty || !trimmed.contains(where: { $0 == "=" || $0 == ":" }) {
                throw invalid("section header without ]")
            }
            guard !sections.isEmpty else { throw invalid("setting before any [section]") }
            let current = sections.count - 1
            let (key, value) = try split(trimmed, path: path, line: lineNumber)
            guard sections[current].values[key] == nil else { throw invalid("\(key) appears twice in [\(sections[current].name)]") }
            sections[current].values[key] = value
            lastKey = key
            lastKeyIndent = indent
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
