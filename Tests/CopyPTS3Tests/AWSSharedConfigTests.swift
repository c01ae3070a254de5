import Testing
@testable import CopyPTS3

@Suite struct AWSSharedConfigTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var config: String
        var credentials: String
        var profiles: [String: [String: String]]
    }

    static let cases: [Case] = [
        Case(testDescription: "config [profile x] and [default] are profiles; bare [x] in config is not",
             config: "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-2\n[preview]\nx = 1",
             credentials: "",
             profiles: ["default": ["region": "eu-west-1"], "dev": ["region": "us-east-2"]]),
        Case(testDescription: "credentials [x] is profile x; [profile x] there is a profile literally named 'profile x'",
             config: "",
             credentials: "[dev]\naws_access_key_id = AKID\n[profile odd]\naws_access_key_id = B",
             profiles: ["dev": ["aws_access_key_id": "AKID"], "profile odd": ["aws_access_key_id": "B"]]),
        Case(testDescription: "credentials-file values override the config file's for the same profile",
             config: "[profile dev]\nregion = us-east-2\naws_access_key_id = FROMCONFIG",
             credentials: "[dev]\naws_access_key_id = FROMCREDS",
             profiles: ["dev": ["region": "us-east-2", "aws_access_key_id": "FROMCREDS"]]),
        Case(testDescription: "[default] is not inherited by named profiles",
             config: "[default]\nregion = eu-west-1\n[profile dev]\noutput = json",
             credentials: "",
             profiles: ["default": ["region": "eu-west-1"], "dev": ["output": "json"]]),
        Case(testDescription: "[profile default] in config is the default profile",
             config: "[profile default]\nregion = ap-south-1",
             credentials: "",
             profiles: ["default": ["region": "ap-south-1"]]),
        Case(testDescription: "empty files give no profiles",
             config: "", credentials: "\n# nothing\n", profiles: [:]),
    ]

    @Test("profile maps from config and credentials files", arguments: cases)
    func profiles(testCase: Case) throws {
        let shared = try AWSSharedConfig.parse(config: testCase.config, credentials: testCase.credentials)
        #expect(shared.profiles.mapValues(\.values) == testCase.profiles)
        for (name, profile) in shared.profiles { #expect(profile.name == name) }
    }

    @Test("[services x] sections are kept by name, with their service subsections")
    func services() throws {
        let config = """
            [profile local]
            services = local-endpoints
            [services local-endpoints]
            s3 =
              endpoint_url = http://127.0.0.1:5000
            sts =
              endpoint_url = http://127.0.0.1:5001
            """
        let shared = try AWSSharedConfig.parse(config: config, credentials: "")
        #expect(shared.services["local-endpoints"]?["s3"]?["endpoint_url"] == "http://127.0.0.1:5000")
        #expect(shared.services["local-endpoints"]?["sts"]?["endpoint_url"] == "http://127.0.0.1:5001")
        #expect(shared.profiles["local"]?["services"] == "local-endpoints")
    }

    @Test("file paths: env overrides, defaults under HOME from the env dictionary, ~ expanded", arguments: [
        (["HOME": "/home/u"], "/home/u/.aws/config", "/home/u/.aws/credentials"),
        (["HOME": "/home/u", "AWS_CONFIG_FILE": "~/cfg", "AWS_SHARED_CREDENTIALS_FILE": "/etc/creds"], "/home/u/cfg", "/etc/creds"),
        (["HOME": "/h", "AWS_CONFIG_FILE": ""], "/h/.aws/config", "/h/.aws/credentials"),
    ])
    func paths(environment: [String: String], config: String, credentials: String) {
        let paths = AWSSharedConfig.paths(environment: environment)
        #expect(paths.config == config)
        #expect(paths.credentials == credentials)
    }

    @Test("load reads the files the environment names; missing files are empty")
    func load() throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        try dir.write(".aws/config", "[profile a]\nregion = eu-north-1\n")
        let shared = try AWSSharedConfig.load(environment: ["HOME": dir.path])
        #expect(shared.profiles["a"]?["region"] == "eu-north-1")
        #expect(shared.credentialsPath == dir.path + "/.aws/credentials")
        #expect(try AWSSharedConfig.load(environment: ["HOME": dir.path + "/nope"]).profiles.isEmpty)
    }
}
