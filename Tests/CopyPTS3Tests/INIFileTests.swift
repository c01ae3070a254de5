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

    // MARK: - Held to botocore (regressions found by INIFilePropertyTests)

    @Test("a section or key given twice is refused, as botocore refuses the file", arguments: [
        ("[default]\nregion = a\n[default]\nregion = b", 3, "section [default] appears twice"),
        ("[default]\nregion = a\nRegion = b", 3, "region appears twice in [default]"),
        ("[]\nk = v", 1, "section header without a name"),
        ("[a]\ns3 =\n  addressing_style: path", 3, "expected name = value in the [s3] block"),
    ])
    func refusedLikeBotocore(text: String, line: Int, reason: String) {
        #expect(throws: CredentialError.invalidFile(path: "f", line: line, reason: reason)) { try INIFile.parse(text, path: "f") }
    }

    @Test("headers run to the last ], lines at their key's indent are keys, blank lines stay inside a continued value")
    func readLikeBotocore() throws {
        let text = "[y] trailing\n  k = v\n  j = w\n[a]]\nnote = one\n\n   two\ns3 =\n  Addressing_Style = a:b=c\n"
        let sections = try INIFile.parse(text, path: "f")
        #expect(sections.map(\.name) == ["y", "a]"])
        #expect(sections[0].values == ["k": "v", "j": "w"])
        #expect(sections[1].values == ["note": "one\n\ntwo", "s3": ""])
        // botocore: {'y': {'k': 'v', 'j': 'w'}, 'a]': {'note': 'one\n\ntwo', 's3': {'Addressing_Style': 'a:b=c'}}}
        #expect(sections[1].subsections == ["s3": ["Addressing_Style": "a:b=c"]])
    }
}
