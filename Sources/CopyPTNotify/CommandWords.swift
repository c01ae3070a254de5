/// `--notify-command`'s text split into a program and its arguments, as a shell would split
/// words but without running one: whitespace separates, '…' keeps everything, "…" keeps all
/// but `\"` and `\\`, a backslash outside quotes escapes the next character. Nothing is expanded.
public enum CommandWords {
    /// The words of `text`.
    /// - Throws: ``NotifyError/invalidCommand(reason:)`` for an unclosed quote, a trailing
    ///   backslash or no words at all.
    public static func split(_ text: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                word.append(character)
                escaped = false
                continue
            }
            switch quote {
            case "'":
                if character == "'" { quote = nil } else { word.append(character) }
            case "\"":
                if character == "\"" { quote = nil } else if character == "\\" { escaped = true } else { word.append(character) }
            default:
                if character == "'" || character == "\"" {
                    quote = character
                    inWord = true
                } else if character == "\\" {
                    escaped = true
                    inWord = true
                } else if character.isWhitespace {
                    if inWord { words.append(word) }
                    word = ""
                    inWord = false
                } else {
                    word.append(character)
                    inWord = true
                }
            }
        }
        guard quote == nil else { throw NotifyError.invalidCommand(reason: "a quote is not closed") }
        guard !escaped else { throw NotifyError.invalidCommand(reason: "it ends in a backslash") }
        if inWord { words.append(word) }
        guard let program = words.first, !program.isEmpty else { throw NotifyError.invalidCommand(reason: "it is empty") }
        return words
    }
}
