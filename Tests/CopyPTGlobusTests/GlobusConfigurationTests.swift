@testable import CopyPTGlobus
import Foundation
import Testing

@Suite struct GlobusConfigurationTests {
    @Test("with an empty environment copypt talks to production Globus with a 60 s timeout")
    func defaults() throws {
        let configuration = try GlobusConfiguration.fromEnvironment([:])
        #expect(configuration.authURL == "https://auth.globus.org/")
        #expect(configuration.transferURL == "https://transfer.api.globus.org/")
        #expect(configuration.timeout == .seconds(60))
        #expect(configuration.clientID == nil)
        #expect(configuration.tokenFile == nil)
        #expect(configuration.requestsPerSecond == 20)
        #expect(configuration.pageLimit == 1000)
        #expect(configuration.transferEndpoint("task_list") == "https://transfer.api.globus.org/v0.10/task_list")
        #expect(configuration.authEndpoint("token") == "https://auth.globus.org/v2/oauth2/token")
    }

    @Test("service roots are overridden as globus-sdk does, with or without a trailing slash", arguments: [
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000/"),
        ("http://127.0.0.1:9000/", "http://127.0.0.1:9000/"),
        ("https://transfer.api.example.org//", "https://transfer.api.example.org/"),
        ("https://gw.example.org/globus/", "https://gw.example.org/globus/"),
    ])
    func overrides(_ value: String, _ root: String) throws {
        let configuration = try GlobusConfiguration.fromEnvironment([
            "GLOBUS_SDK_SERVICE_URL_AUTH": value, "GLOBUS_SDK_SERVICE_URL_TRANSFER": value,
        ])
        #expect(configuration.authURL == root)
        #expect(configuration.transferURL == root)
        #expect(configuration.transferEndpoint("task/x") == root + "v0.10/task/x")
        #expect(configuration.authEndpoint("token/revoke") == root + "v2/oauth2/token/revoke")
    }

    @Test("GLOBUS_SDK_HTTP_TIMEOUT: empty is 60 s, -1 is none, a number is seconds", arguments: [
        ("", Duration?.some(.seconds(60))), ("-1", nil), ("30", .seconds(30)), ("2.5", .milliseconds(2500)),
        ("-1.0", nil), (" 86400 ", .seconds(86_400)), ("0.0001", .milliseconds(1)),
    ])
    func timeout(_ value: String, _ expected: Duration?) throws {
        let configuration = try GlobusConfiguration.fromEnvironment(["GLOBUS_SDK_HTTP_TIMEOUT": value])
        #expect(configuration.timeout == expected)
    }

    @Test("GLOBUS_SDK_HTTP_TIMEOUT that is infinite, huge, negative or not a number is a configuration error naming the variable, never a trap",
          arguments: ["inf", "-inf", "infinity", "1e17", "1e300", "9223372036854775807", "86401", "-5", "-0.5", "-2", "nan", "0", "-0", "1e-400x"])
    func timeoutOutOfRange(_ value: String) {
        do {
            let configuration = try GlobusConfiguration.fromEnvironment(["GLOBUS_SDK_HTTP_TIMEOUT": value])
            Issue.record("\(value) was taken as \(String(describing: configuration.timeout))")
        } catch let error as GlobusError {
            guard case .configuration(let detail) = error else {
                Issue.record("expected a configuration error, got \(error)")
                return
            }
            #expect(detail.hasPrefix("GLOBUS_SDK_HTTP_TIMEOUT=\(value) "))
            #expect(detail.contains("-1 for no time limit"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("malformed settings are configuration errors", arguments: [
        ["GLOBUS_SDK_HTTP_TIMEOUT": "soon"], ["GLOBUS_SDK_HTTP_TIMEOUT": "0"],
        ["GLOBUS_SDK_SERVICE_URL_TRANSFER": "transfer.api.globus.org"],
    ])
    func malformed(_ environment: [String: String]) {
        #expect(throws: GlobusError.self) { try GlobusConfiguration.fromEnvironment(environment) }
    }

    @Test("the token file is under XDG_CONFIG_HOME, else HOME/.config, unless --token-file is given")
    func tokenFile() throws {
        let xdg = try GlobusConfiguration.fromEnvironment(["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"])
        #expect(xdg.tokenFile?.path == "/cfg/copypt/globus-tokens.json")
        let home = try GlobusConfiguration.fromEnvironment(["HOME": "/home/u"])
        #expect(home.tokenFile?.path == "/home/u/.config/copypt/globus-tokens.json")
        let relative = try GlobusConfiguration.fromEnvironment(["XDG_CONFIG_HOME": "cfg", "HOME": "/home/u"])
        #expect(relative.tokenFile?.path == "/home/u/.config/copypt/globus-tokens.json")
        let explicit = try GlobusConfiguration.fromEnvironment(["HOME": "/home/u"], tokenFile: URL(fileURLWithPath: "/tmp/t.json"))
        #expect(explicit.tokenFile?.path == "/tmp/t.json")
    }

    @Test("--client-id wins over COPYPT_GLOBUS_CLIENT_ID; id and secret together select client credentials")
    func authMode() throws {
        let environment = ["COPYPT_GLOBUS_CLIENT_ID": "env-client", "HOME": "/home/u"]
        #expect(try GlobusConfiguration.fromEnvironment(environment, clientID: "flag-client").clientID == "flag-client")
        let person = try GlobusConfiguration.fromEnvironment(environment)
        #expect(try person.authMode() == .refreshToken(tokenFile: URL(fileURLWithPath: "/home/u/.config/copypt/globus-tokens.json")))
        var service = environment
        service["COPYPT_GLOBUS_CLIENT_SECRET"] = "not-a-real-secret"
        let account = try GlobusConfiguration.fromEnvironment(service)
        #expect(try account.authMode() == .clientCredentials(GlobusClientCredentials(clientID: "env-client", secret: "not-a-real-secret")))
        #expect(throws: GlobusError.self) { try GlobusConfiguration.fromEnvironment([:]).authMode() }
    }

    @Test("descriptions of the configuration and the credentials never show the secret")
    func redaction() throws {
        let secret = "s3cr3t-value-xyz"
        let configuration = try GlobusConfiguration.fromEnvironment([
            "COPYPT_GLOBUS_CLIENT_ID": "c", "COPYPT_GLOBUS_CLIENT_SECRET": secret,
        ])
        #expect(!configuration.description.contains(secret))
        let credentials = try #require(GlobusClientCredentials.fromEnvironment([
            "COPYPT_GLOBUS_CLIENT_ID": "c", "COPYPT_GLOBUS_CLIENT_SECRET": secret,
        ]))
        #expect(!credentials.description.contains(secret))
        #expect(!"\(credentials)".contains(secret))
        #expect(!String(reflecting: credentials).contains(secret))
        #expect(GlobusClientCredentials.fromEnvironment(["COPYPT_GLOBUS_CLIENT_ID": "c"]) == nil)
    }
}
