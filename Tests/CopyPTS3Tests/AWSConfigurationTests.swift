import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Testing
@testable import CopyPTS3

@Suite struct AWSConfigurationTests {
    static let config = """
        [default]
        region = eu-west-1
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secret-default

        [profile dev]
        region = us-east-2
        max_attempts = 7
        ca_bundle = /etc/dev-ca.pem
        endpoint_url = http://profile-endpoint:9000
        s3 =
          addressing_style = virtual

        [profile svc]
        services = local
        endpoint_url = http://profile-endpoint:9000

        [services local]
        s3 =
          endpoint_url = http://127.0.0.1:5000
        """
    static let credentials = """
        [dev]
        aws_access_key_id = AKIDDEVPROFILE
        aws_secret_access_key = secret-dev
        """

    /// Resolves with the two files above and `extra` environment; IMDS disabled unless `extra` says otherwise.
    static func resolve(_ extra: [String: String] = [:], profile: String? = nil) throws -> AWSConfiguration {
        let shared = try AWSSharedConfig.parse(config: config, credentials: credentials)
        var environment = ["AWS_EC2_METADATA_DISABLED": "true"]
        environment.merge(extra) { _, new in new }
        return try AWSConfiguration.resolve(
            environment: environment, profile: profile, shared: shared, transport: StubTransport(), now: { Date(timeIntervalSince1970: 0) }
        )
    }

    static let envKeys = ["AWS_ACCESS_KEY_ID": "AKIDENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "secret-env"]

    // MARK: - Credentials precedence

    @Test("credential precedence follows the CLI", arguments: [
        ("nothing set: the default profile", [:], nil as String?, "AKIDDEFAULT"),
        ("env keys beat the default profile", envKeys, nil, "AKIDENVIRONMENT"),
        ("AWS_PROFILE alone selects that profile", ["AWS_PROFILE": "dev"], nil, "AKIDDEVPROFILE"),
        ("env keys beat AWS_PROFILE (botocore keeps the env provider)", envKeys.merging(["AWS_PROFILE": "dev"]) { a, _ in a }, nil, "AKIDENVIRONMENT"),
        ("--profile beats env keys", envKeys, "dev", "AKIDDEVPROFILE"),
        ("--profile beats AWS_PROFILE", ["AWS_PROFILE": "default"], "dev", "AKIDDEVPROFILE"),
    ])
    func precedence(name: String, environment: [String: String], profile: String?, expectedKey: String) async throws {
        let configuration = try Self.resolve(environment, profile: profile)
        #expect(try await configuration.credentialProvider.credentials().accessKeyID == expectedKey, "\(name)")
    }

    @Test("a named profile that exists in neither file is an error naming both files")
    func unknownProfile() {
        #expect(throws: CredentialError.profileNotFound(profile: "nope", configFile: "~/.aws/config", credentialsFile: "~/.aws/credentials")) {
            try Self.resolve(["AWS_PROFILE": "nope"])
        }
        #expect(throws: CredentialError.profileNotFound(profile: "nope", configFile: "~/.aws/config", credentialsFile: "~/.aws/credentials")) {
            try Self.resolve(Self.envKeys, profile: "nope")
        }
    }

    @Test("a profile with no credentials and nothing else configured: no credentials, saying which profile")
    func noCredentials() async throws {
        let configuration = try Self.resolve(profile: "svc")
        #expect(configuration.credentialSource == "none")
        await #expect(throws: CredentialError.noCredentials(profile: "svc")) { try await configuration.credentialProvider.credentials() }
        let error = CredentialError.noCredentials(profile: nil)
        #expect(error.description.contains("set AWS_PROFILE or AWS_ACCESS_KEY_ID"))
    }

    @Test("the credential source is described without secrets")
    func sourceDescription() throws {
        let configuration = try Self.resolve(profile: "dev")
        #expect(configuration.credentialSource == "profile dev: static keys")
        #expect(configuration.profile == "dev")
        #expect(!configuration.credentialSource.contains("secret-dev"))
        #expect(try Self.resolve(Self.envKeys).credentialSource.hasPrefix("environment"))
    }

    // MARK: - Settings

    @Test("region: AWS_REGION, AWS_DEFAULT_REGION, profile region, us-east-1", arguments: [
        (["AWS_REGION": "ap-southeast-2", "AWS_DEFAULT_REGION": "sa-east-1"], "dev" as String?, "ap-southeast-2"),
        (["AWS_DEFAULT_REGION": "sa-east-1"], "dev", "sa-east-1"),
        ([:], "dev", "us-east-2"),
        ([:], nil, "eu-west-1"),
        (["AWS_REGION": ""], "svc", "us-east-1"),
    ])
    func region(environment: [String: String], profile: String?, expected: String) throws {
        #expect(try Self.resolve(environment, profile: profile).region == expected)
    }

    @Test("endpoints: service env, global env, services section, profile endpoint_url; ignore switch", arguments: [
        (["AWS_ENDPOINT_URL_S3": "http://s3-env", "AWS_ENDPOINT_URL": "http://global"], "svc" as String?, "http://s3-env" as String?, "http://global" as String?),
        (["AWS_ENDPOINT_URL_STS": "http://sts-env"], "svc", "http://127.0.0.1:5000", "http://sts-env"),
        ([:], "svc", "http://127.0.0.1:5000", "http://profile-endpoint:9000"),
        ([:], "dev", "http://profile-endpoint:9000", "http://profile-endpoint:9000"),
        ([:], nil, nil, nil),
        (["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://global"], "svc", nil, nil),
    ])
    func endpoints(environment: [String: String], profile: String?, s3: String?, sts: String?) throws {
        let configuration = try Self.resolve(environment, profile: profile)
        #expect(configuration.s3Endpoint == s3)
        #expect(configuration.stsEndpoint == sts)
    }

    @Test("good endpoints are taken as given", arguments: [
        "http://127.0.0.1:9000", "https://s3.example.com", "HTTPS://S3.Example.com:8443/prefix/", "http://[::1]:5000",
        "http://localhost/path/to/s3",
    ])
    func goodEndpoint(endpoint: String) throws {
        let configuration = try Self.resolve(["AWS_ENDPOINT_URL_S3": endpoint, "AWS_ENDPOINT_URL_STS": endpoint])
        #expect(configuration.s3Endpoint == endpoint)
        #expect(configuration.stsEndpoint == endpoint)
    }

    @Test("a bad endpoint is a setting error naming its variable", arguments: [
        ("AWS_ENDPOINT_URL_S3", "http:/h", "a URL starting http:// or https://"),
        ("AWS_ENDPOINT_URL_S3", "not a url", "a URL starting http:// or https://"),
        ("AWS_ENDPOINT_URL_S3", "127.0.0.1:9000", "a URL starting http:// or https://"),
        ("AWS_ENDPOINT_URL_STS", "ftp://h", "a URL starting http:// or https://"),
        ("AWS_ENDPOINT_URL", "http://", nil),
        ("AWS_ENDPOINT_URL", "http://h/?x=1", "a URL without a query (?...)"),
        ("AWS_ENDPOINT_URL_S3", "http://h/#frag", "a URL without a fragment (#...)"),
        ("AWS_ENDPOINT_URL_S3", "http://h#@127.0.0.1/", nil),
        ("AWS_ENDPOINT_URL_STS", "https://user:pw@h/", "a URL without a user name or password (user@)"),
    ] as [(String, String, String?)])
    func badEndpoint(variable: String, endpoint: String, expected: String?) throws {
        let error = try #require(throws: CredentialError.self) { try Self.resolve([variable: endpoint]) }
        guard case .invalidSetting(let name, let value, let said) = error else {
            Issue.record("not an invalid setting: \(error)")
            return
        }
        #expect(name == variable)
        #expect(value == (endpoint.contains("@") ? "<withheld: it contains @>" : endpoint))
        if let expected { #expect(said == expected) }
        #expect(!error.description.contains("pw"))
    }

    @Test("a bad endpoint in the config file names the setting", arguments: [
        ("[profile p]\nendpoint_url = http:/h\n", "endpoint_url"),
        ("[profile p]\nservices = local\n[services local]\ns3 =\n  endpoint_url = http:/h\n", "[services local] s3.endpoint_url"),
    ])
    func badEndpointInFile(config: String, name: String) throws {
        let shared = try AWSSharedConfig.parse(config: config, credentials: Self.credentials)
        #expect(throws: CredentialError.invalidSetting(name: name, value: "http:/h", expected: "a URL starting http:// or https://")) {
            try AWSConfiguration.resolve(
                environment: ["AWS_EC2_METADATA_DISABLED": "true"], profile: "p", shared: shared, transport: StubTransport())
        }
    }

    @Test("max attempts, CA bundle and addressing style from env, then profile, then defaults")
    func otherSettings() throws {
        let dev = try Self.resolve(profile: "dev")
        #expect(dev.maxAttempts == 7)
        #expect(dev.caBundle == "/etc/dev-ca.pem")
        #expect(dev.addressingStyle == .virtual)
        let overridden = try Self.resolve(
            ["AWS_MAX_ATTEMPTS": "2", "AWS_CA_BUNDLE": "/ca.pem", "AWS_S3_ADDRESSING_STYLE": "path"], profile: "dev"
        )
        #expect(overridden.maxAttempts == 2)
        #expect(overridden.caBundle == "/ca.pem")
        #expect(overridden.addressingStyle == .path)
        let plain = try Self.resolve()
        #expect(plain.maxAttempts == 3)
        #expect(plain.caBundle == nil)
        #expect(plain.addressingStyle == .auto)
        #expect(plain.addressing == S3Addressing(region: "eu-west-1", endpoint: nil, style: .auto))
    }

    @Test("bad settings throw with the setting's name", arguments: [
        (["AWS_MAX_ATTEMPTS": "0"], CredentialError.invalidSetting(name: "AWS_MAX_ATTEMPTS", value: "0", expected: "a whole number of at least 1")),
        (["AWS_MAX_ATTEMPTS": "many"], .invalidSetting(name: "AWS_MAX_ATTEMPTS", value: "many", expected: "a whole number of at least 1")),
        (["AWS_S3_ADDRESSING_STYLE": "sideways"], .invalidSetting(name: "AWS_S3_ADDRESSING_STYLE", value: "sideways", expected: "auto, path or virtual")),
    ])
    func badSettings(environment: [String: String], error: CredentialError) {
        #expect(throws: error) { try Self.resolve(environment) }
    }

    @Test("resolve reads the files under HOME from the environment dictionary")
    func resolveFromFiles() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        try dir.write(".aws/config", Self.config)
        try dir.write(".aws/credentials", Self.credentials)
        let configuration = try AWSConfiguration.resolve(
            environment: ["HOME": dir.path, "AWS_PROFILE": "dev"], transport: StubTransport()
        )
        #expect(configuration.region == "us-east-2")
        #expect(try await configuration.credentialProvider.credentials().accessKeyID == "AKIDDEVPROFILE")
    }
}
