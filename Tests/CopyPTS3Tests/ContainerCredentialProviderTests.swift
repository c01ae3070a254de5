import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct ContainerCredentialProviderTests {
    static let document = #"{"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "container-secret", "Token": "container-token", "Expiration": "2030-01-01T00:00:00Z", "RoleArn": "arn:aws:iam::1:role/task"}"#

    @Test("relative URI: GET http://169.254.170.2<uri>, Token read as session token")
    func relative() async throws {
        let stub = StubTransport(responses: [HTTPResponse(status: 200, body: Array(Self.document.utf8))])
        let provider = try #require(try ContainerCredentialProvider.fromEnvironment(
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"], transport: stub))
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIACONTAINER")
        #expect(credentials.sessionToken == "container-token")
        #expect(credentials.expiration == AWSCredentials.parseISO8601("2030-01-01T00:00:00Z"))
        let request = try #require(stub.requests.first)
        #expect(request.method == .get)
        #expect(request.url == "http://169.254.170.2/v2/credentials/abc")
        #expect(request.headers["Authorization"] == nil)
        #expect(request.timeout == .seconds(2))
    }

    @Test("full URI with the authorization token, the token file winning over the variable")
    func fullWithToken() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let tokenFile = try dir.write("token", "file-token\n")
        let stub = StubTransport(handler: { _ in HTTPResponse(status: 200, body: Array(Self.document.utf8)) })
        let fromVariable = try #require(try ContainerCredentialProvider.fromEnvironment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:51679/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token",
        ], transport: stub))
        _ = try await fromVariable.credentials()
        let fromFile = try #require(try ContainerCredentialProvider.fromEnvironment([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ], transport: stub))
        _ = try await fromFile.credentials()
        #expect(stub.requests.map(\.url) == ["http://127.0.0.1:51679/creds", "http://169.254.170.23/v1/credentials"])
        #expect(stub.requests.map { $0.headers["Authorization"] } == ["variable-token", "file-token"])
    }

    @Test("plain-http full URIs are limited to loopback and the ECS/EKS hosts", arguments: [
        ("http://127.0.0.1:80/x", true), ("http://localhost/x", true), ("http://[::1]:8080/x", true),
        ("http://169.254.170.2/x", true), ("http://[fd00:ec2::23]/x", true), ("https://creds.example.com/x", true),
        ("http://creds.example.com/x", false), ("http://10.0.0.1/x", false),
    ])
    func allowedHosts(url: String, allowed: Bool) throws {
        let environment = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url]
        if allowed {
            #expect(try ContainerCredentialProvider.fromEnvironment(environment, transport: StubTransport()) != nil)
        } else {
            #expect(throws: CredentialError.untrustedContainerHost(host: URLParts(url).host)) {
                try ContainerCredentialProvider.fromEnvironment(environment, transport: StubTransport())
            }
        }
    }

    @Test("a URL that hides another host behind a fragment or user information is refused before any request", arguments: [
        ("http://vm:8080#@127.0.0.1/creds", "vm"),
        ("http://vm:8080?@127.0.0.1/creds", "vm"),
        ("http://127.0.0.1.evil.example/creds", "127.0.0.1.evil.example"),
        ("http://[fd00:ec2::24]/creds", "[fd00:ec2::24]"),
    ])
    func foreignHosts(url: String, host: String) throws {
        let stub = StubTransport()
        #expect {
            try ContainerCredentialProvider.fromEnvironment(
                ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "auth-token-not-real"], transport: stub)
        } throws: { error in
            // A fragment is refused as such; otherwise the host libcurl would connect to is named.
            guard let error = error as? CredentialError else { return false }
            if case .untrustedContainerHost(let named) = error { return named == host }
            return url.contains("#")
        }
        #expect(stub.requests.isEmpty)
    }

    @Test("user information, fragments and other schemes are refused, a password never repeated", arguments: [
        "http://user:pa55word@127.0.0.1/creds", "http://127.0.0.1/creds#frag", "https://creds.example.com/x#", "ftp://127.0.0.1/creds",
        "127.0.0.1/creds", "http://[::1/creds",
    ])
    func refusedForms(url: String) throws {
        #expect {
            try ContainerCredentialProvider.fromEnvironment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], transport: StubTransport())
        } throws: { error in
            guard case .invalidSetting(let name, _, _) = error as? CredentialError else { return false }
            return name == "AWS_CONTAINER_CREDENTIALS_FULL_URI" && !"\(error)".contains("pa55word")
        }
    }

    @Test("a relative URI cannot leave 169.254.170.2; the request goes to libcurl's reading of the URL")
    func relativeStaysHome() async throws {
        #expect(throws: CredentialError.self) {
            try ContainerCredentialProvider.fromEnvironment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/x#@evil.example/"], transport: StubTransport())
        }
        let provider = try #require(try ContainerCredentialProvider.fromEnvironment(
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "@evil.example/creds"], transport: StubTransport()))
        #expect(provider.url == "http://169.254.170.2/@evil.example/creds")
        let spelled = try #require(try ContainerCredentialProvider.fromEnvironment(
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "HTTP://[fd00:ec2:0::23]:80/v1"], transport: StubTransport()))
        #expect(try CurlURL(parsing: spelled.url).scheme == "http")
    }

    @Test("no variables, no provider; errors never show the token")
    func errors() async throws {
        #expect(try ContainerCredentialProvider.fromEnvironment([:], transport: StubTransport()) == nil)
        let stub = StubTransport(responses: [HTTPResponse(status: 401, body: Array("denied".utf8))])
        let provider = ContainerCredentialProvider(url: "http://169.254.170.2/x", authorizationToken: "secret-token", transport: stub)
        do {
            _ = try await provider.credentials()
            Issue.record("expected an error")
        } catch let error as CredentialError {
            #expect(error == .unreachable(source: "the container endpoint 169.254.170.2", detail: "HTTP 401"))
            #expect(!error.description.contains("secret-token"))
        }
        let bad = ContainerCredentialProvider(url: "http://169.254.170.2/x", authorizationToken: "a\r\nX-Injected: 1", transport: stub)
        await #expect(throws: CredentialError.self) { try await bad.credentials() }
    }
}
