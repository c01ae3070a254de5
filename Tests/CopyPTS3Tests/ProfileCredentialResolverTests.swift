import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct ProfileCredentialResolverTests {
    static let stsXML = try! RawRequestFixture.text("sts-assume-role-response.xml")

    static func resolver(_ config: String, credentials: String = "", environment: [String: String] = [:],
                         transport: any HTTPTransport = StubTransport()) throws -> ProfileCredentialResolver {
        ProfileCredentialResolver(
            shared: try AWSSharedConfig.parse(config: config, credentials: credentials),
            environment: environment, region: "us-west-2", stsEndpoint: nil, transport: transport,
            now: { Date(timeIntervalSince1970: 1_573_300_000) }
        )
    }

    @Test("role_arn + source_profile assumes the role with the source profile's keys")
    func assumeRoleFromSourceProfile() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array(Self.stsXML.utf8))])
        let resolver = try Self.resolver("""
            [profile base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = base-secret
            [profile role]
            role_arn = arn:aws:iam::123456789012:role/demo
            source_profile = base
            external_id = ext-123
            role_session_name = nightly
            duration_seconds = 3600
            """, transport: stub)
        let (provider, source) = try resolver.defaultChain(profile: "role", explicit: true)
        #expect(source == "profile role: assume role arn:aws:iam::123456789012:role/demo with profile base (static keys)")
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIAIOSFODNN7EXAMPLE")
        let request = try #require(stub.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "https://sts.us-west-2.amazonaws.com/")
        #expect(request.headers["Authorization"]?.contains("Credential=AKIDBASE/20191109/us-west-2/sts/aws4_request") == true)
        #expect(request.bodyText.contains("RoleSessionName=nightly"))
        #expect(request.bodyText.contains("ExternalId=ext-123"))
        #expect(request.bodyText.contains("DurationSeconds=3600"))
    }

    @Test("a role chain of two profiles calls STS twice, the second time with the first role's credentials")
    func roleChain() async throws {
        let stub = StubTransport(responses: [
            HTTPResponse(status: 200, body: Array(Self.stsXML.utf8)),
            HTTPResponse(status: 200, body: Array(Self.stsXML.replacingOccurrences(of: "ASIAIOSFODNN7EXAMPLE", with: "ASIASECONDROLE").utf8)),
        ])
        let resolver = try Self.resolver("""
            [profile first]
            role_arn = arn:aws:iam::111111111111:role/first
            credential_source = Environment
            [profile second]
            role_arn = arn:aws:iam::222222222222:role/second
            source_profile = first
            """, environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"], transport: stub)
        let (provider, _) = try resolver.defaultChain(profile: "second", explicit: true)
        #expect(try await provider.credentials().accessKeyID == "ASIASECONDROLE")
        #expect(stub.requests.count == 2)
        #expect(stub.requests[0].bodyText.contains("role%2Ffirst"))
        #expect(stub.requests[0].headers["Authorization"]?.contains("Credential=AKIDENV/") == true)
        #expect(stub.requests[1].headers["Authorization"]?.contains("Credential=ASIAIOSFODNN7EXAMPLE/") == true)
        #expect(stub.requests[1].headers["x-amz-security-token"] == "EXAMPLE-SESSION-TOKEN-NOT-A-SECRET")
    }

    @Test("a self-referencing role profile uses its own static keys as the source")
    func selfReference() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array(Self.stsXML.utf8))])
        let resolver = try Self.resolver("""
            [profile me]
            role_arn = arn:aws:iam::123456789012:role/demo
            source_profile = me
            aws_access_key_id = AKIDSELF
            aws_secret_access_key = self-secret
            """, transport: stub)
        let (provider, _) = try resolver.defaultChain(profile: "me", explicit: true)
        _ = try await provider.credentials()
        #expect(stub.requests.first?.headers["Authorization"]?.contains("Credential=AKIDSELF/") == true)
    }

    @Test("misconfigured profiles throw at resolve time", arguments: [
        ("[profile a]\nrole_arn = arn:r\nsource_profile = b\n[profile b]\nrole_arn = arn:r2\nsource_profile = a",
         CredentialError.roleChainCycle(profiles: ["a", "b", "a"])),
        ("[profile a]\nrole_arn = arn:r\nsource_profile = missing",
         .profileNotFound(profile: "missing", configFile: "~/.aws/config", credentialsFile: "~/.aws/credentials")),
        ("[profile a]\nrole_arn = arn:r",
         .invalidProfile(profile: "a", reason: "role_arn needs source_profile or credential_source")),
        ("[profile a]\nrole_arn = arn:r\nsource_profile = b\n[profile b]\nregion = x",
         .invalidProfile(profile: "a", reason: "its source_profile b has no credentials")),
        ("[profile a]\nrole_arn = arn:r\ncredential_source = Environment",
         .invalidProfile(profile: "a", reason: "credential_source = Environment but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")),
        ("[profile a]\nrole_arn = arn:r\ncredential_source = Magic",
         .invalidSetting(name: "credential_source", value: "Magic", expected: "Environment, EcsContainer or Ec2InstanceMetadata")),
        ("[profile a]\nrole_arn = arn:r\ncredential_source = Environment\nsource_profile = a",
         .invalidProfile(profile: "a", reason: "it sets both source_profile and credential_source")),
        ("[profile a]\nrole_arn = arn:r\nsource_profile = b\nduration_seconds = 60\n[profile b]\naws_access_key_id = A\naws_secret_access_key = S",
         .invalidSetting(name: "duration_seconds", value: "60", expected: "seconds from 900 to 43200")),
        ("[profile a]\naws_access_key_id = AKID",
         .invalidProfile(profile: "a", reason: "aws_access_key_id is set but aws_secret_access_key is not")),
    ])
    func misconfigured(config: String, error: CredentialError) throws {
        let resolver = try Self.resolver(config)
        #expect(throws: error) { try resolver.defaultChain(profile: "a", explicit: true) }
    }

    @Test("a profile's session token and credential_process are picked up")
    func staticAndProcess() throws {
        let resolver = try Self.resolver("""
            [profile tok]
            aws_access_key_id = AKID
            aws_secret_access_key = S
            aws_session_token = TOKEN
            [profile proc]
            credential_process = "/opt/my tool/bin/creds" --account 1234
            """)
        let (_, tokSource) = try resolver.defaultChain(profile: "tok", explicit: true)
        #expect(tokSource == "profile tok: static keys")
        let (_, procSource) = try resolver.defaultChain(profile: "proc", explicit: true)
        #expect(procSource == "profile proc: credential_process /opt/my tool/bin/creds")
    }

    @Test("without profile credentials the container endpoint is next, then IMDS unless disabled")
    func fallbacks() async throws {
        let resolver = try Self.resolver("[default]\nregion = x", environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds"])
        #expect(try resolver.defaultChain(profile: "default", explicit: false).1 == "container endpoint 169.254.170.2")
        let imds = try Self.resolver("[default]\nregion = x")
        #expect(try imds.defaultChain(profile: "default", explicit: false).1 == "EC2 instance metadata")
        let disabled = try Self.resolver("", environment: ["AWS_EC2_METADATA_DISABLED": "TRUE"])
        let (none, source) = try disabled.defaultChain(profile: "default", explicit: false)
        #expect(source == "none")
        await #expect(throws: CredentialError.noCredentials(profile: nil)) { try await none.credentials() }
    }

    @Test("when IMDS is unreachable the chain reports that no credentials were found")
    func imdsUnreachable() async throws {
        let stub = StubTransport()
        stub.enqueue(failure: .connectFailed(host: "169.254.169.254", detail: "timed out"))
        let resolver = try Self.resolver("", transport: stub)
        let (provider, _) = try resolver.defaultChain(profile: "default", explicit: false)
        await #expect(throws: CredentialError.noCredentials(profile: nil)) { try await provider.credentials() }
    }
}

extension HTTPRequest {
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
