import Testing

@testable import CopyPTNotify

@Suite struct CommandWordsTests {
    @Test("Words split on whitespace, quotes group, a backslash escapes, nothing is expanded")
    func split() throws {
        #expect(try CommandWords.split("notify-send copypt") == ["notify-send", "copypt"])
        #expect(try CommandWords.split(#"  /bin/sh -c 'echo "$COPYPT_ID" >> log'  "#) == ["/bin/sh", "-c", #"echo "$COPYPT_ID" >> log"#])
        #expect(try CommandWords.split(#"a "b c\" d" e\ f ''"#) == ["a", #"b c" d"#, "e f", ""])
        #expect(try CommandWords.split("mail $HOME ~ *") == ["mail", "$HOME", "~", "*"])
    }

    @Test("An unclosed quote, a trailing backslash or no words is refused with a sentence")
    func refused() {
        for text in ["a 'b", #"a "b"#, #"a\"#, "", "   "] {
            #expect(throws: NotifyError.self) { try CommandWords.split(text) }
        }
        #expect(NotifyError.invalidCommand(reason: "a quote is not closed").description.contains("--notify-command"))
    }
}
