import Testing
@testable import CopyPTS3

@Suite struct S3PathEncodingTests {
    @Test("object keys are percent-encoded byte-wise, / kept, upper-case hex", arguments: [
        ("plain.txt", "plain.txt"),
        ("with space.txt", "with%20space.txt"),
        ("a+b", "a%2Bb"),
        ("100%", "100%25"),
        ("tilde~file", "tilde~file"),
        ("k=v&x", "k%3Dv%26x"),
        ("test$file.text", "test%24file.text"),
        ("café/ß/日本.h5", "caf%C3%A9/%C3%9F/%E6%97%A5%E6%9C%AC.h5"),
        ("emoji 😀", "emoji%20%F0%9F%98%80"),
        ("a/b/c/d/e/f/g/h/i/j/deep.dat", "a/b/c/d/e/f/g/h/i/j/deep.dat"),
        ("//double//slash/", "//double//slash/"),
        ("../dots/./x", "../dots/./x"),
        ("ctl\t\n", "ctl%09%0A"),
        ("#?:@!*'()[],;", "%23%3F%3A%40%21%2A%27%28%29%5B%5D%2C%3B"),
        ("-._~AZaz09", "-._~AZaz09"),
    ])
    func encodeKey(key: String, expected: String) {
        #expect(S3PathEncoding.encodeKey(key) == expected)
        #expect(String(decoding: S3PathEncoding.percentDecode(Substring(expected)), as: UTF8.self) == key)
    }

    @Test("query components encode / and space as %2F and %20", arguments: [
        ("photos/2024 a", "photos%2F2024%20a"),
        ("a+b=c", "a%2Bb%3Dc"),
        ("", ""),
    ])
    func encodeQuery(value: String, expected: String) {
        #expect(S3PathEncoding.encodeQueryComponent(value) == expected)
    }
}
