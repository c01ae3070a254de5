import Testing
@testable import CopyPTS3

@Suite struct INIFileTests {
    @Test("sections, comments, key case, separators, inline comments, subsections and continuations")
    func parse() throws {
        let text = """
            # leading comment
            ; another
            [default]
            Region = us-west-2
            output: json
            endpoint_url = http://localhost:4566   # local stack
            s3 =
              addressing_style = path
              max_concurrent_requests = 20
            [ profile  dev ]\r
            role_arn=arn:aws:iam::123456789012:role/dev
            note = first
              second line
            \t
            empty =
            """
        let sections = try INIFile.parse(text, path: "config")
        #expect(sections.map(\.name) == ["default", "profile  dev"])
        #expect(sections[0].values == ["region": "us-west-2", "output": "json", "endpoint_url": "http://localhost:4566", "s3": ""])
        #expect(sections[0].subsections == ["s3": ["addressing_style": "path", "max_concurrent_requests": "20"]])
        #expect(sections[1].values["role_arn"] == "arn:aws:iam::123456789012:role/dev")
        #expect(sections[1].values["note"] == "first\nsecond line")
        #expect(sections[1].values["empty"] == "")
    }

    @Test("malformed lines name the file and line", arguments: [
        ("key = value", 1, "setting before any [section]"),
        ("[default\nregion = x", 1, "section header without ]"),
        ("[default]\nregion us-east-1", 2, "expected key = value"),
        ("[default]\n = x", 2, "empty key"),
    ])
    func malformed(text: String, line: Int, reason: String) {
        #expect(throws: CredentialError.invalidFile(path: "/tmp/cfg", line: line, reason: reason)) {
            try INIFile.parse(text, path: "/tmp/cfg")
        }
    }
}
