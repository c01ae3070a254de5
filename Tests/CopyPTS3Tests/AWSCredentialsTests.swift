import Foundation
import Testing
@testable import CopyPTS3

@Suite struct AWSCredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "EXAMPLE-SESSION-TOKEN-VALUE"

    @Test("description shows only the key id's last four characters, never the secret or token")
    func redacts() {
        let credentials = AWSCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token,
            expiration: Date(timeIntervalSince1970: 1_700_000_000)
        )
        let text = credentials.description
        #expect(text.contains("****MPLE"))
        #expect(!text.contains("AKIAIOSFODNN7"))
        #expect(!text.contains(Self.secret))
        #expect(!text.contains(Self.token))
        #expect(text.contains("2023-11-14T22:13:20Z"))
        #expect(!"\(credentials)".contains(Self.secret))
        #expect(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s").description.contains("accessKeyID: ****,"))
    }

    @Test("environment keys, with AWS_SESSION_TOKEN or the older AWS_SECURITY_TOKEN", arguments: [
        (["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "S"], "AKID", nil as String?),
        (["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": "T"], "AKID", "T"),
        (["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SECURITY_TOKEN": "T2"], "AKID", "T2"),
        (["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": ""], "AKID", nil),
    ])
    func fromEnvironment(environment: [String: String], id: String, token: String?) throws {
        let credentials = try #require(AWSCredentials.fromEnvironment(environment))
        #expect(credentials.accessKeyID == id)
        #expect(credentials.secretAccessKey == "S")
        #expect(credentials.sessionToken == token)
    }

    @Test("no environment credentials without both key id and secret", arguments: [
        [:], ["AWS_ACCESS_KEY_ID": "AKID"], ["AWS_SECRET_ACCESS_KEY": "S"], ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "S"],
    ])
    func fromEnvironmentMissing(environment: [String: String]) {
        #expect(AWSCredentials.fromEnvironment(environment) == nil)
    }

    @Test("isExpiring compares the expiry with now plus the margin")
    func expiring() {
        let now = Date(timeIntervalSince1970: 1000)
        let credentials = AWSCredentials(accessKeyID: "A", secretAccessKey: "S", expiration: Date(timeIntervalSince1970: 1300))
        #expect(!credentials.isExpiring(at: now))
        #expect(!credentials.isExpiring(at: now, within: 299))
        #expect(credentials.isExpiring(at: now, within: 300))
        #expect(!AWSCredentials(accessKeyID: "A", secretAccessKey: "S").isExpiring(at: now, within: 1e9))
    }

    @Test("RFC 3339 times parse with any fractional digits and offsets", arguments: [
        ("2019-11-09T13:34:41Z", 1_573_306_481.0),
        ("2026-11-25T23:59:03.939401Z", 1_795_651_143.939401),
        ("2019-11-09T15:34:41.5+02:00", 1_573_306_481.5),
        ("1970-01-01T00:00:00-00:30", 1800.0),
        ("2024-02-29t00:00:00z", 1_709_164_800.0),
    ])
    func iso8601(text: String, seconds: Double) throws {
        let date = try #require(AWSCredentials.parseISO8601(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-5)
    }

    @Test("malformed times are rejected", arguments: ["", "2019-11-09", "2019-11-09T13:34:41", "2019-13-09T13:34:41Z", "2019-11-09T13:34:41Zjunk", "soon"])
    func iso8601Invalid(text: String) {
        #expect(AWSCredentials.parseISO8601(text) == nil)
    }

    @Test("credential JSON documents: Token or SessionToken, Version 1 when required, errors without values")
    func decodeJSON() throws {
        let process = #"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "SECRETVALUE", "SessionToken": "TOK", "Expiration": "2019-11-09T13:34:41Z"}"#
        let decoded = try AWSCredentials.decodeJSON(Array(process.utf8), source: "test", requireVersion1: true)
        #expect(decoded == AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRETVALUE", sessionToken: "TOK",
                                          expiration: Date(timeIntervalSince1970: 1_573_306_481)))
        let container = #"{"AccessKeyId": "AKID", "SecretAccessKey": "SECRETVALUE", "Token": "TOK", "Expiration": "2019-11-09T13:34:41Z", "RoleArn": "arn"}"#
        #expect(try AWSCredentials.decodeJSON(Array(container.utf8), source: "test").sessionToken == "TOK")

        let cases: [(String, Bool)] = [
            (#"{"Version": 2, "AccessKeyId": "AKID", "SecretAccessKey": "SECRETVALUE"}"#, true),
            (#"{"AccessKeyId": "AKID", "SecretAccessKey": "SECRETVALUE"}"#, true),
            (#"{"Version": 1, "SecretAccessKey": "SECRETVALUE"}"#, true),
            (#"{"Version": 1, "AccessKeyId": "AKID"}"#, true),
            (#"{"Code": "Failed", "AccessKeyId": "AKID", "SecretAccessKey": "SECRETVALUE"}"#, false),
            (#"{"AccessKeyId": "AKID", "SecretAccessKey": "SECRETVALUE", "Expiration": "tomorrow"}"#, false),
            ("SECRETVALUE not json", false),
        ]
        for (text, version) in cases {
            do {
                _ = try AWSCredentials.decodeJSON(Array(text.utf8), source: "test", requireVersion1: version)
                Issue.record("accepted \(text)")
            } catch let error as CredentialError {
                #expect(!error.description.contains("SECRETVALUE"))
            }
        }
    }
}
