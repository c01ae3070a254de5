@testable import CopyPTS3
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct AWSCallerIdentityTests {
    static let keys = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example")

    static func configuration(sts: String? = "http://127.0.0.1:9/") -> AWSConfiguration {
        AWSConfiguration(region: "eu-west-1", stsEndpoint: sts, credentialProvider: StaticCredentialProvider(keys))
    }

    static let answer = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:sts::123456789012:assumed-role/copier/copypt-session-1</Arn>
            <UserId>AROAEXAMPLEID:copypt-session-1</UserId>
            <Account>123456789012</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """

    @Test("GetCallerIdentity is a SigV4-signed POST of the Query form to STS, and its answer names the assumed role")
    func request() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array(Self.answer.utf8))])
        let identity = try await AWSCallerIdentity.fetch(configuration: Self.configuration(), transport: stub, now: { Date(timeIntervalSince1970: 1_800_000_000) })
        #expect(identity == AWSCallerIdentity(
            account: "123456789012", arn: "arn:aws:sts::123456789012:assumed-role/copier/copypt-session-1",
            userID: "AROAEXAMPLEID:copypt-session-1"))
        let sent = try #require(stub.requests.first)
        #expect(sent.method == .post && sent.url == "http://127.0.0.1:9/")
        #expect(String(decoding: sent.body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(sent.headers["Authorization"]?.contains("/eu-west-1/sts/aws4_request") == true)
        #expect(sent.headers["x-amz-security-token"] == "session-token-example")
    }

    @Test("the regional STS endpoint when none is configured")
    func defaultEndpoint() {
        #expect(AWSCallerIdentity.makeRequest(configuration: Self.configuration(sts: nil)).url == "https://sts.eu-west-1.amazonaws.com/")
    }

    @Test("refused credentials need a person; 5xx and throttling pass; no secret in the message")
    func errors() async throws {
        let refused = """
            <ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>
            <Message>The security token included in the request is invalid.</Message></Error>
            <RequestId>req-1</RequestId></ErrorResponse>
            """
        let stub = StubTransport(responses: [HTTPResponse(status: 403, body: Array(refused.utf8))])
        let error = await #expect(throws: CallerIdentityError.self) {
            try await AWSCallerIdentity.fetch(configuration: Self.configuration(), transport: stub)
        }
        #expect(error == .service(status: 403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid.", requestID: "req-1"))
        #expect(error?.isTransient == false)
        #expect(error?.description.contains("renew") == true)
        #expect(error?.description.contains(Self.keys.secretAccessKey) == false)
        #expect(CallerIdentityError.service(status: 503, code: "ServiceUnavailable", message: "", requestID: nil).isTransient)
        #expect(CallerIdentityError.service(status: 400, code: "Throttling", message: "", requestID: nil).isTransient)
        #expect(CallerIdentityError.unreachable(endpoint: "sts", detail: "refused").isTransient)
        #expect(!CallerIdentityError.credentials(.noCredentials(profile: nil)).isTransient)
    }
}
