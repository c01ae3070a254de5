import CopyPTCLI
import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// `copypt whoami` through the real executable, against moto (STS) and the Globus emulator.
@Suite struct WhoamiCommandTests {
    static func whoami(_ e2e: EndToEndFixture, _ arguments: [String] = [], environment extra: [String: String?] = [:]) async throws -> ChildProcess.Result {
        var env = e2e.environment
        env["AWS_ENDPOINT_URL_STS"] = e2e.moto.baseURL
        for (key, value) in extra { env[key] = value }
        return try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), ["whoami"] + arguments, environment: env)
    }

    @Test("a service account and AWS keys: who each is, exit 0; --json for monitoring; an assumed role shows its assumed-role ARN")
    func serviceAccountAndProfiles() async throws {
        let e2e = try await EndToEndFixture()
        try Data("""
            [profile lab]
            role_arn = arn:aws:iam::123456789012:role/copypt-copier
            source_profile = base
            role_session_name = copypt-whoami
            region = us-east-1

            """.utf8).write(to: e2e.directory.appendingPathComponent("aws-config"))
        try Data("""
            [base]
            aws_access_key_id = AKIAE2ETESTINGKEY000
            aws_secret_access_key = e2e-aws-secret-not-real

            """.utf8).write(to: e2e.directory.appendingPathComponent("aws-credentials"))

        let text = try await Self.whoami(e2e)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stderr.isEmpty)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "stdout: \(text.stdout)")
        #expect(lines.first?.hasPrefix("Globus: service account e2e-sweep-client@clients.auth.globus.org (client e2e-sweep-client); access token valid until ") == true)
        #expect(lines.last?.hasPrefix("AWS profile default: arn:aws:") == true)
        #expect(lines.last?.contains("(account ") == true)
        #expect(!text.stdout.contains(EndToEndFixture.clientSecret) && !text.stdout.contains("e2e-aws-secret-not-real"))

        let role = try await Self.whoami(e2e, ["--profile", "lab", "--no-globus", "--json"])
        #expect(role.status == 0, "stderr: \(role.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(role.stdout.utf8)) as? [String: Any])
        #expect(object["exit_status"] as? Int == 0)
        #expect(object["globus"] is NSNull)
        let aws = try #require((object["aws"] as? [[String: Any]])?.first)
        #expect(aws["profile"] as? String == "lab" && aws["ok"] as? Bool == true)
        #expect((aws["arn"] as? String)?.contains(":assumed-role/copypt-copier/copypt-whoami") == true, "\(aws)")
        #expect(aws["account"] as? String == "123456789012")

        let json = try await Self.whoami(e2e, ["--no-aws", "--json"])
        let globus = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["globus"] as? [String: Any])
        #expect(globus["mode"] as? String == "client_credentials" && globus["ok"] as? Bool == true)
        #expect(globus["identity_id"] as? String == EndToEndFixture.clientID)
        #expect(globus["access_token_expires_at"] is String)
    }

    @Test("exit 2 when a person must act (no Globus login; an unknown AWS profile), 75 when Globus is unreachable")
    func exitStatuses() async throws {
        let e2e = try await EndToEndFixture()
        let noLogin = try await Self.whoami(e2e, ["--no-aws"], environment: ["COPYPT_GLOBUS_CLIENT_ID": nil, "COPYPT_GLOBUS_CLIENT_SECRET": nil])
        #expect(noLogin.status == 2)
        #expect(noLogin.stdout.isEmpty)
        #expect(noLogin.stderr.hasPrefix("copypt whoami: Globus: not logged in to Globus") && noLogin.stderr.contains("copypt login"))

        let badProfile = try await Self.whoami(e2e, ["--no-globus", "--profile", "nonexistent"])
        #expect(badProfile.status == 2)
        #expect(badProfile.stderr.contains("AWS profile nonexistent"))

        let wrongSecret = try await Self.whoami(e2e, ["--no-aws", "--json"], environment: ["COPYPT_GLOBUS_CLIENT_SECRET": "not-the-secret"])
        #expect(wrongSecret.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(wrongSecret.stdout.utf8)) as? [String: Any])
        #expect((object["globus"] as? [String: Any])?["status"] as? String == "login_required")
        #expect(!wrongSecret.stderr.contains("not-the-secret") && !wrongSecret.stdout.contains("not-the-secret"))

        await e2e.globus.shutdown()
        let down = try await Self.whoami(e2e, ["--no-aws"])
        #expect(down.status == 75, "stderr: \(down.stderr)")
        #expect(down.stderr.hasPrefix("copypt whoami: Globus: "))
        #expect(try await Self.whoami(e2e, ["--no-globus", "--no-aws"]).status == 2)
    }

    @Test("a person's login: whoami names the identity recorded at login and the token expiry; after logout, exit 2")
    func personLogin() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.globus.registerClient("native-app")
        let configDirectory = e2e.directory.appendingPathComponent("config")
        let tokenFile = configDirectory.appendingPathComponent("copypt/globus-tokens.json")
        let configuration = try GlobusConfiguration.fromEnvironment(e2e.globus.environment, tokenFile: tokenFile)
        let logger = Logger(label: "copypt.test.whoami")
        _ = try await GlobusLogin(configuration: configuration, transport: e2e.globus.transport, logger: logger).run(clientID: "native-app") { url in
            #expect(url.contains("scope=openid%20profile%20email%20") || url.contains("scope=openid+profile+email+"))
            return try await e2e.globus.transport.send(HTTPRequest(method: .get, url: url)).bodyText
        }
        let saved = try #require(try GlobusTokenStore(path: tokenFile).load())
        #expect(saved.identityUsername == "user@example.org" && saved.identityID != nil)

        let person: [String: String?] = ["COPYPT_GLOBUS_CLIENT_ID": nil, "COPYPT_GLOBUS_CLIENT_SECRET": nil]
        let who = try await Self.whoami(e2e, ["--no-aws"], environment: person)
        #expect(who.status == 0, "stderr: \(who.stderr)")
        #expect(who.stdout.hasPrefix("Globus: logged in as user@example.org (identity \(saved.identityID ?? "?")) through client native-app; access token valid until "))
        #expect(who.stdout.contains("renewed with the stored refresh token"))

        // Tokens refused by Globus: a refresh is tried once, then a person must log in.
        try await e2e.globus.expireTokens()
        _ = try await GlobusLogout(configuration: configuration, transport: e2e.globus.transport, logger: logger).run()
        let gone = try await Self.whoami(e2e, ["--no-aws"], environment: person)
        #expect(gone.status == 2)
        #expect(gone.stderr.contains("copypt login"))
    }
}
