import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct AssumeRoleCredentialProviderTests {
    static let base = StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDBASE", secretAccessKey: "base-secret"))
    static let date = Date(timeIntervalSince1970: 1_573_300_000)

    static func provider(_ transport: any HTTPTransport, endpoint: String? = nil) -> AssumeRoleCredentialProvider {
        AssumeRoleCredentialProvider(
            source: base,
            configuration: .init(roleARN: "arn:aws:iam::123456789012:role/demo", externalID: "a b+c", region: "eu-central-1", endpoint: endpoint),
            transport: transport, now: { date }
        )
    }

    @Test("the request is a signed Query API POST form to the regional STS endpoint")
    func request() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array(try RawRequestFixture.text("sts-assume-role-response.xml").utf8))])
        let credentials = try await Self.provider(stub).credentials()
        #expect(credentials == AWSCredentials(
            accessKeyID: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "EXAMPLESECRETKEYNOTASECRET0000000000000",
            sessionToken: "EXAMPLE-SESSION-TOKEN-NOT-A-SECRET", expiration: AWSCredentials.parseISO8601("2019-11-09T13:34:41Z")
        ))
        let request = try #require(stub.requests.first)
        #expect(request.url == "https://sts.eu-central-1.amazonaws.com/")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(request.bodyText == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
            + "&RoleSessionName=copypt-session-1573300000&ExternalId=a%20b%2Bc")
        let authorization = try #require(request.headers["Authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDBASE/20191109/eu-central-1/sts/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature="))
        #expect(request.headers["x-amz-content-sha256"] == nil)
    }

    @Test("an STS error document becomes assumeRoleFailed with code, message and request id")
    func errorDocument() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 403, body: Array(try RawRequestFixture.text("sts-error-access-denied.xml").utf8))])
        do {
            _ = try await Self.provider(stub).credentials()
            Issue.record("expected an error")
        } catch let error as CredentialError {
            guard case .assumeRoleFailed(let role, let status, let code, _, let requestID) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(role == "arn:aws:iam::123456789012:role/demo")
            #expect(status == 403)
            #expect(code == "AccessDenied")
            #expect(requestID == "4f9a1b2c-0000-4000-8000-000000000000")
            #expect(error.description.contains("is not authorized to perform: sts:AssumeRole"))
            #expect(!error.description.contains("base-secret"))
        }
    }

    @Test("unusable answers are errors", arguments: [
        HTTPResponse(status: 200, body: Array("not xml <".utf8)),
        HTTPResponse(status: 200, body: Array("<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>".utf8)),
        HTTPResponse(status: 503, body: []),
    ])
    func unusable(response: HTTPResponse) async {
        let stub = StubTransport(responses: [response])
        await #expect(throws: CredentialError.self) { try await Self.provider(stub).credentials() }
    }

    @Test("a transport failure is reported as unreachable STS")
    func unreachable() async {
        let stub = StubTransport()
        stub.enqueue(failure: .connectFailed(host: "sts.eu-central-1.amazonaws.com", detail: "refused"))
        await #expect(throws: CredentialError.self) { try await Self.provider(stub).credentials() }
    }

    @Test("AssumeRole against moto's STS over real HTTP, through a profile and AWS_ENDPOINT_URL_STS")
    func moto() async throws {
        let server = try await ServerProcess.launch(executable: "moto_server", arguments: ["-H", "127.0.0.1", "-p", "{port}"])
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        try dir.write(".aws/config", """
            [profile nightly]
            role_arn = arn:aws:iam::123456789012:role/copypt-writer
            source_profile = base
            role_session_name = copypt-test
            duration_seconds = 900
            region = us-west-2
            """)
        try dir.write(".aws/credentials", "[base]\naws_access_key_id = AKIDBASEEXAMPLE\naws_secret_access_key = base-secret\n")
        let transport = try CurlTransport()
        let configuration = try AWSConfiguration.resolve(
            environment: ["HOME": dir.path, "AWS_ENDPOINT_URL_STS": server.baseURL], profile: "nightly", transport: transport
        )
        #expect(configuration.stsEndpoint == server.baseURL)
        let credentials = try await configuration.credentialProvider.credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIA"))
        #expect(credentials.sessionToken?.isEmpty == false)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > Date())
        #expect(expiration < Date().addingTimeInterval(3600))
        // Cached: a second call does not go back to STS for fresh keys.
        #expect(try await configuration.credentialProvider.credentials() == credentials)
        await server.shutdown()  // on an early throw, deinit stops it
    }
}
