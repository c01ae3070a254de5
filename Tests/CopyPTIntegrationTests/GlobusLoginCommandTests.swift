@testable import CopyPTCLI
import CopyPTGlobus
import CopyPTHTTP
import CopyPTTestSupport
import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `copypt login` / `copypt logout` flows against scripts/globus-emulator over CurlTransport.
@Suite struct GlobusLoginCommandTests {
    static let logger = Logger(label: "copypt.test.globus")

    @Test("login saves a 0600 token file from the pasted code; logout revokes both tokens and deletes it")
    func loginLogout() async throws {
        let emulator = try await GlobusEmulator.start()
        try await emulator.registerClient("native-app")
        let tokenFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("copypt-login-\(UUID().uuidString)/copypt/globus-tokens.json")
        let configuration = try GlobusConfiguration.fromEnvironment(emulator.environment, tokenFile: tokenFile)

        let login = GlobusLogin(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let saved = try await login.run(clientID: "native-app") { url in
            // What the person does: open the URL, log in, copy the code Globus shows.
            try await emulator.transport.send(HTTPRequest(method: .get, url: url)).bodyText + "\n"
        }
        #expect(saved == tokenFile)
        var info = stat()
        #expect(stat(tokenFile.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let tokens = try #require(try GlobusTokenStore(path: tokenFile).load())
        #expect(tokens.clientID == "native-app" && tokens.refreshToken != nil)

        let logout = GlobusLogout(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        #expect(try await logout.run() == .loggedOut(tokenFile: tokenFile))
        #expect(!FileManager.default.fileExists(atPath: tokenFile.path))
        #expect(try await logout.run() == .notLoggedIn(tokenFile: tokenFile))
        let revokes = try await emulator.requests().filter { $0.path == "/v2/oauth2/token/revoke" }
        #expect(revokes.count == 2 && revokes.allSatisfy { $0.status == 200 })

        // The revoked refresh token is dead.
        let auth = GlobusAuthClient(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        await #expect(throws: GlobusError.self) { try await auth.refresh(try #require(tokens.refreshToken), clientID: "native-app") }
    }

    @Test("a login answered without a refresh token is an error that says how to fix it, and saves nothing")
    func noRefreshToken() async throws {
        let emulator = try await GlobusEmulator.start()
        try await emulator.registerClient("no-offline-app", refreshTokens: false)
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-login-\(UUID().uuidString)/t.json")
        let configuration = try GlobusConfiguration.fromEnvironment(emulator.environment, tokenFile: tokenFile)
        let login = GlobusLogin(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        await #expect(throws: GlobusError.noRefreshToken(clientID: "no-offline-app")) {
            _ = try await login.run(clientID: "no-offline-app") { url in
                try await emulator.transport.send(HTTPRequest(method: .get, url: url)).bodyText
            }
        }
        #expect(!FileManager.default.fileExists(atPath: tokenFile.path))
        #expect(GlobusError.noRefreshToken(clientID: "c").description.contains("copypt login"))
        #expect(GlobusCommandSupport.exitCode(for: GlobusError.noRefreshToken(clientID: "c")).rawValue == 2)
    }

    @Test("the login URL sends the person to the code page of the configured Auth service, which the exchange repeats")
    func redirectFollowsAuthRoot() async throws {
        let emulator = try await GlobusEmulator.start()
        try await emulator.registerClient("native-app")
        let configuration = try GlobusConfiguration.fromEnvironment(emulator.environment, tokenFile: URL(fileURLWithPath: "/tmp/unused.json"))
        let auth = GlobusAuthClient(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        let url = auth.authorizeURL(clientID: "native-app", pkce: PKCE.generate())
        let expected = configuration.authURL + "v2/web/auth-code"
        #expect(expected.hasPrefix("http://127.0.0.1:"))
        let encoded = expected.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "/", with: "%2F")
        #expect(URLParts(url).query.contains("redirect_uri=" + encoded + "&"))
        // The emulator, like Globus, answers only for its own code page.
        #expect(try await emulator.transport.send(HTTPRequest(method: .get, url: url)).status == 200)
    }

    @Test("an empty code is refused before anything is saved")
    func emptyCode() async throws {
        let emulator = try await GlobusEmulator.start()
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("copypt-login-\(UUID().uuidString)/t.json")
        let configuration = try GlobusConfiguration.fromEnvironment(emulator.environment, tokenFile: tokenFile)
        let login = GlobusLogin(configuration: configuration, transport: emulator.transport, logger: Self.logger)
        await #expect(throws: GlobusError.self) { _ = try await login.run(clientID: "native-app") { _ in "  \n" } }
        #expect(!FileManager.default.fileExists(atPath: tokenFile.path))
    }

    @Test("login and logout parse their options")
    func parsing() throws {
        let login = try #require(try CopyPTCommand.parseAsRoot([
            "login", "--client-id", "abc", "--token-file", "/tmp/t.json", "--no-browser",
        ]) as? CopyPTCommand.Login)
        #expect(login.clientID == "abc" && login.tokenFile?.path == "/tmp/t.json" && login.noBrowser)
        let logout = try #require(try CopyPTCommand.parseAsRoot(["logout", "--token-file", "/tmp/t.json"]) as? CopyPTCommand.Logout)
        #expect(logout.tokenFile?.path == "/tmp/t.json")
        #expect(CopyPTCommand.Login.helpMessage().contains("--no-browser"))
    }
}
