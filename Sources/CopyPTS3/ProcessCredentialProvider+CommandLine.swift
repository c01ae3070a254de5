// MARK: - Shell-style splitting

extension ProcessCredentialProvider {
    /// Splits a command line the way a POSIX shell would split words, without expanding
    /// anything: whitespace separates words; `'…'` is literal; inside `"…"` a backslash
    /// escapes `"`, `\`, `$` and `` ` ``; elsewhere a backslash escapes the next character.
    /// - Throws: ``CredentialError/processLaunchFailed(command:detail:)`` for an unterminated quote.
    static func splitCommandLine(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(line).makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n", "\r", "\r\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    current.append(next)
                }
                if !closed { throw unterminated("'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\", let escaped = iterator.next() {
                        if !["\"", "\\", "$", "`"].contains(escaped) { current.append("\\") }
                        current.append(escaped)
                    } else {
                        current.append(next)
                    }
                }
                if !closed { throw unterminated("\"") }
            case "\\":
                inWord = true
                if let escaped = iterator.next() { current.append(escaped) }
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    private static func unterminated(_ quote: String) -> CredentialError {
        .processLaunchFailed(command: "credential_process", detail: "unterminated \(quote) quote in the command line")
    }
}
