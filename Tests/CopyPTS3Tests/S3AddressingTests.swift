import Testing
@testable import CopyPTS3

@Suite struct S3AddressingTests {
    @Test("request URLs for AWS and custom endpoints", arguments: [
        // AWS: virtual-hosted when the bucket is a DNS label.
        (S3Addressing(region: "us-west-2"), "my-bucket", "a%20b/c.txt", "", "https://my-bucket.s3.us-west-2.amazonaws.com/a%20b/c.txt"),
        (S3Addressing(region: "us-west-2"), "my-bucket", "", "list-type=2&prefix=a%2F", "https://my-bucket.s3.us-west-2.amazonaws.com/?list-type=2&prefix=a%2F"),
        (S3Addressing(region: "cn-north-1"), "b1b", "k", "", "https://b1b.s3.cn-north-1.amazonaws.com.cn/k"),
        // AWS: path-style for names that cannot be a label over https.
        (S3Addressing(region: "us-east-1"), "dotted.bucket", "k", "", "https://s3.us-east-1.amazonaws.com/dotted.bucket/k"),
        (S3Addressing(region: "us-east-1"), "Upper_Case", "k", "uploads=", "https://s3.us-east-1.amazonaws.com/Upper_Case/k?uploads="),
        // Custom endpoints: IP or localhost → path-style.
        (S3Addressing(region: "us-east-1", endpoint: "http://127.0.0.1:5000"), "src", "x/y", "", "http://127.0.0.1:5000/src/x/y"),
        (S3Addressing(region: "us-east-1", endpoint: "http://127.0.0.1:5000/"), "src", "", "", "http://127.0.0.1:5000/src"),
        (S3Addressing(region: "us-east-1", endpoint: "http://localhost:9000"), "src", "k", "", "http://localhost:9000/src/k"),
        (S3Addressing(region: "us-east-1", endpoint: "http://[::1]:9000"), "src", "k", "", "http://[::1]:9000/src/k"),
        // Custom host names → virtual-hosted, keeping port and path prefix.
        (S3Addressing(region: "us-east-1", endpoint: "https://s3.example.org:8443/base"), "src", "k", "", "https://src.s3.example.org:8443/base/k"),
        // Forced styles.
        (S3Addressing(region: "us-east-1", endpoint: "https://s3.example.org/base", style: .path), "src", "k", "", "https://s3.example.org/base/src/k"),
        (S3Addressing(region: "us-east-1", endpoint: "http://127.0.0.1:5000", style: .virtual), "src", "k", "", "http://src.127.0.0.1:5000/k"),
        (S3Addressing(region: "eu-west-1", style: .path), "src", "k", "", "https://s3.eu-west-1.amazonaws.com/src/k"),
    ])
    func url(addressing: S3Addressing, bucket: String, key: String, query: String, expected: String) {
        #expect(addressing.url(bucket: bucket, encodedKey: key, query: query) == expected)
    }

    @Test("virtual-hostable bucket names", arguments: [
        ("abc", false, true), ("ab", false, false), ("a-b.c", false, true), ("a-b.c", true, false),
        ("-ab", false, false), ("ab-", false, false), ("a..b", false, false), ("192.168.1.1", false, false),
        ("has_underscore", false, false), ("UPPER", false, false), (String(repeating: "a", count: 64), false, false),
    ])
    func hostable(bucket: String, https: Bool, expected: Bool) {
        #expect(S3Addressing.isVirtualHostable(bucket, https: https) == expected)
    }

    @Test("with(region:) keeps endpoint and style")
    func withRegion() {
        let addressing = S3Addressing(region: "us-east-1", endpoint: "http://127.0.0.1:1", style: .path).with(region: "eu-west-3")
        #expect(addressing == S3Addressing(region: "eu-west-3", endpoint: "http://127.0.0.1:1", style: .path))
        #expect(S3Addressing(region: "ap-east-1").baseURL == "https://s3.ap-east-1.amazonaws.com")
    }
}
