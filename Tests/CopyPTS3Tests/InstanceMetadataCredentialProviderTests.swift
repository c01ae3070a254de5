import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct InstanceMetadataCredentialProviderTests {
    static let document = #"{"Code": "Success", "LastUpdated": "2024-01-01T00:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS", "SecretAccessKey": "imds-secret", "Token": "imds-token", "Expiration": "2030-01-01T06:00:00Z"}"#

    @Test("IMDSv2: token PUT with TTL, then role name, then the role's credentials, all with the token")
    func v2() async throws {
        let stub = StubTransport(responses: [
            HTTPResponse(status: 200, body: Array("imds-session-token".utf8)),
            HTTPResponse(status: 200, body: Array("copypt-role\n".utf8)),
            HTTPResponse(status: 200, body: Array(Self.document.utf8)),
        ])
        let credentials = try await InstanceMetadataCredentialProvider(transport: stub).credentials()
        #expect(credentials.accessKeyID == "ASIAIMDS")
        #expect(credentials.sessionToken == "imds-token")
        let requests = stub.requests
        #expect(requests.map(\.method) == [.put, .get, .get])
        #expect(requests.map(\.url) == [
            "http://169.254.169.254/latest/api/token",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/copypt-role",
        ])
        #expect(requests[0].headers["X-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(requests.dropFirst().allSatisfy { $0.headers["X-aws-ec2-metadata-token"] == "imds-session-token" })
        #expect(requests.allSatisfy { $0.timeout == .seconds(1) })
    }

    @Test("a 404/403/405 to the token request falls back to IMDSv1 without a token header")
    func v1Fallback() async throws {
        let stub = StubTransport(responses: [
            HTTPResponse(status: 405),
            HTTPResponse(status: 200, body: Array("role".utf8)),
            HTTPResponse(status: 200, body: Array(Self.document.utf8)),
        ])
        _ = try await InstanceMetadataCredentialProvider(endpoint: "http://[fd00:ec2::254]/", transport: stub).credentials()
        #expect(stub.requests[1].url == "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/")
        #expect(stub.requests[1].headers["X-aws-ec2-metadata-token"] == nil)
    }

    @Test("no route, no role, or a failing status are errors the chain can pass over")
    func failures() async throws {
        let unreachable = StubTransport()
        unreachable.enqueue(failure: .timedOut(host: "169.254.169.254", seconds: 1))
        await #expect(throws: CredentialError.unreachable(source: "EC2 instance metadata", detail: "request to 169.254.169.254 timed out after 1.0 s")) {
            try await InstanceMetadataCredentialProvider(transport: unreachable).credentials()
        }
        let noRole = StubTransport(responses: [HTTPResponse(status: 200, body: Array("t".utf8)), HTTPResponse(status: 404)])
        await #expect(throws: CredentialError.self) { try await InstanceMetadataCredentialProvider(transport: noRole).credentials() }
        let badToken = StubTransport(responses: [HTTPResponse(status: 400)])
        await #expect(throws: CredentialError.self) { try await InstanceMetadataCredentialProvider(transport: badToken).credentials() }
    }
}
