import CopyPTHTTP
import Testing

/// CurlURL: libcurl's own reading of a URL, part by part.
@Suite struct CurlURLTests {
    @Test("every part, as libcurl reads it")
    func parts() throws {
        let url = try CurlURL(parsing: "HTTP://user:pw@Example.com:8080/a/b?x=1&y#frag")
        #expect(url.scheme == "http")
        #expect(url.host == "Example.com")
        #expect(url.port == 8080)
        #expect(url.path == "/a/b")
        #expect(url.query == "x=1&y")
        #expect(url.user == "user")
        #expect(url.password == "pw")
        #expect(url.fragment == "frag")
        let plain = try CurlURL(parsing: "https://[::1]/")
        #expect(plain.host == "[::1]")
        #expect(plain.port == nil && plain.user == nil && plain.password == nil && plain.fragment == nil && plain.query == nil)
    }

    @Test("the authority ends at # and ?, so what follows is no host")
    func authorityEnds() throws {
        #expect(try CurlURL(parsing: "http://vm:9#@127.0.0.1/creds").host == "vm")
        #expect(try CurlURL(parsing: "http://vm:9#@127.0.0.1/creds").fragment == "@127.0.0.1/creds")
        #expect(try CurlURL(parsing: "http://vm?@127.0.0.1/").host == "vm")
    }

    @Test("strings libcurl will not take are a thrown error", arguments: ["", "no scheme", "http://[::1/", "http://a b/"])
    func refused(text: String) {
        #expect(throws: CurlURL.ParseError.self) { try CurlURL(parsing: text) }
    }
}
