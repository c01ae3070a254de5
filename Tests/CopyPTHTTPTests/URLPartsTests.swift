import CopyPTHTTP
import Testing

@Suite struct URLPartsTests {
    @Test("splits scheme, host, port, path and query exactly as written", arguments: [
        ("http://127.0.0.1:5000/bucket/a%20b?uploads=", "http", "127.0.0.1", 5000, "/bucket/a%20b", "uploads="),
        ("https://b.s3.eu-west-1.amazonaws.com/k//a/../b", "https", "b.s3.eu-west-1.amazonaws.com", nil, "/k//a/../b", ""),
        ("HTTPS://Host.Example", "https", "Host.Example", nil, "/", ""),
        ("http://[::1]:8080?x=1&y", "http", "[::1]", 8080, "/", "x=1&y"),
        ("http://[fe80::1]/p", "http", "[fe80::1]", nil, "/p", ""),
        ("http://user:secret@h:81/p?q", "http", "h", 81, "/p", "q"),
        ("h.example/p", "http", "h.example", nil, "/p", ""),
        ("http://h/caf\u{E9}/%2F?k=%C3%BC", "http", "h", nil, "/caf\u{E9}/%2F", "k=%C3%BC"),
    ] as [(String, String, String, Int?, String, String)])
    func splits(url: String, scheme: String, host: String, port: Int?, path: String, query: String) {
        let parts = URLParts(url)
        #expect(parts.scheme == scheme)
        #expect(parts.host == host)
        #expect(parts.port == port)
        #expect(parts.path == path)
        #expect(parts.query == query)
    }

    @Test("the Host header leaves out the scheme's default port", arguments: [
        ("http://h:80/", "h"), ("https://h:443/", "h"), ("http://h:443/", "h:443"), ("http://h:5000/", "h:5000"), ("https://h/", "h"),
    ])
    func hostHeader(url: String, expected: String) {
        #expect(URLParts(url).hostHeader == expected)
    }
}
