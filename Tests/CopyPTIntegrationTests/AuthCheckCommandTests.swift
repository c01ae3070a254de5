import CopyPTCLI
import CopyPTGlobus
import CopyPTHTTP
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Logging
import Testing

/// `copypt auth check` and the sweep's once-a-day login notices, through the real executables
/// against the Globus emulator.
@Suite struct AuthCheckCommandTests {
    static let person: [String: String?] = ["COPYPT_GLOBUS_CLIENT_ID": nil, "COPYPT_GLOBUS_CLIENT_SECRET": nil]

    static func copypt(_ e2e: EndToEndFixture, _ arguments: [String], environment extra: [String: String?] = [:]) async throws -> ChildProcess.Result {
        var env = e2e.environment
        for (key, value) in extra { env[key] = value }
        return try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), arguments, environment: env)
    }

    /// Logs in as a person with a native app; returns the token file.
    static func login(_ e2e: EndToEndFixture) async throws -> URL {
        try await e2e.globus.registerClient("native-app")
        let tokenFile = e2e.directory.appendingPathComponent("config/copypt/globus-tokens.json")
        let configuration = try GlobusConfiguration.fromEnvironment(e2e.globus.environment, tokenFile: tokenFile)
        _ = try await GlobusLogin(configuration: configuration, transport: e2e.globus.transport, logger: Logger(label: "copypt.test.auth"))
            .run(clientID: "native-app") { url in try await e2e.globus.transport.send(HTTPRequest(method: .get, url: url)).bodyText }
        return tokenFile
    }

    /// Rewrites the token file's `refreshed_at` to `days` days ago.
    static func age(_ tokenFile: URL, days: Int) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: tokenFile)) as? [String: Any])
        object["refreshed_at"] = RFC3339.string(from: Date().addingTimeInterval(-Double(days) * 86_400))
        try JSONSerialization.data(withJSONObject: object).write(to: tokenFile)
    }

    @Test("a service account: exit 0 and who it is; a rejected secret exit 2 (login_required in --json); Globus down exit 75")
    func serviceAccount() async throws {
        let e2e = try await EndToEndFixture()
        let ok = try await Self.copypt(e2e, ["auth", "check"])
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(ok.stdout.hasPrefix("Globus login usable: service account e2e-sweep-client@clients.auth.globus.org"), "\(ok.stdout)")
        #expect(ok.stderr.isEmpty)

        let wrong = try await Self.copypt(e2e, ["auth", "check", "--json"], environment: ["COPYPT_GLOBUS_CLIENT_SECRET": "not-the-secret"])
        #expect(wrong.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(wrong.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false && object["status"] as? String == "login_required")
        #expect(object["schema_version"] as? Int == 1)
        #expect(wrong.stderr.hasPrefix("copypt auth check: Globus Auth rejected service-account client e2e-sweep-client"))
        #expect(!wrong.stdout.contains("not-the-secret") && !wrong.stderr.contains("not-the-secret"))

        await e2e.globus.shutdown()
        let down = try await Self.copypt(e2e, ["auth", "check"])
        #expect(down.status == 75, "stderr: \(down.stderr)")
    }

    @Test("a person's login: auth check renews it (a new refresh token, refreshed_at now); a dead refresh token is exit 2 naming `copypt login`")
    func personLogin() async throws {
        let e2e = try await EndToEndFixture()
        let tokenFile = try await Self.login(e2e)
        let before = try #require(try GlobusTokenStore(path: tokenFile).load())
        #expect(before.refreshedAt != nil)
        try Self.age(tokenFile, days: 40)

        let ok = try await Self.copypt(e2e, ["auth", "check"], environment: Self.person)
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(ok.stdout.hasPrefix("Globus login usable: logged in as user@example.org"), "\(ok.stdout)")
        #expect(ok.stdout.contains("previously renewed 40 days ago"))
        let after = try #require(try GlobusTokenStore(path: tokenFile).load())
        #expect(after.refreshToken != before.refreshToken, "the check renewed the login")
        #expect(abs((after.refreshedAt ?? .distantPast).timeIntervalSinceNow) < 120)

        // The old refresh token was rotated away: Globus answers invalid_grant.
        try GlobusTokenStore(path: tokenFile).save(before)
        let dead = try await Self.copypt(e2e, ["auth", "check", "--json"], environment: Self.person)
        #expect(dead.status == 2, "stderr: \(dead.stderr)")
        #expect(dead.stderr.contains("copypt login"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(dead.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "login_required")
        #expect(!dead.stderr.contains(before.refreshToken ?? "?") && !dead.stdout.contains(before.refreshToken ?? "?"))
    }

    @Test("--no-renew uses the tokens as they are and warns about a login last renewed longer ago than --warn-refresh-age")
    func noRenewWarnsAboutAge() async throws {
        let e2e = try await EndToEndFixture()
        let tokenFile = try await Self.login(e2e)
        try Self.age(tokenFile, days: 40)
        let old = try await Self.copypt(e2e, ["auth", "check", "--no-renew"], environment: Self.person)
        #expect(old.status == 0, "stderr: \(old.stderr)")
        #expect(old.stderr.hasPrefix("copypt auth check: warning: the Globus login was last renewed 40 days ago"), "\(old.stderr)")
        let fine = try await Self.copypt(e2e, ["auth", "check", "--no-renew", "--warn-refresh-age", "60d"], environment: Self.person)
        #expect(fine.status == 0 && fine.stderr.isEmpty, "stderr: \(fine.stderr)")
        let bad = try await Self.copypt(e2e, ["auth", "check", "--warn-refresh-age", "soon"], environment: Self.person)
        #expect(bad.status == 64 || bad.status == 2)
    }

    @Test("a sweep with a broken login says so once a day, not at every run; exit 2 every time; once Globus answers, the notice is forgotten")
    func sweepSaysBrokenLoginOnceADay() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("stg")
        let task = try await e2e.task(bucket: "stg", prefix: "run/", ["a.dat"])
        _ = try await e2e.add(task: task, from: "s3://stg/run/", to: "s3://dst/run/")
        let broken: [String: String?] = ["COPYPT_GLOBUS_CLIENT_SECRET": "not-the-secret"]

        let first = try await e2e.sweep(environment: broken)
        #expect(first.status == 2)
        #expect(first.stderr.contains("rejected service-account client"), "\(first.stderr)")
        for _ in 0..<2 {
            let again = try await e2e.sweep(environment: broken)
            #expect(again.status == 2)
            #expect(again.stderr.isEmpty, "said again within the day: \(again.stderr)")
        }
        let json = try await e2e.sweep(["--once", "--json"], environment: broken)
        #expect(json.stdout.contains("rejected service-account client"), "--json is never held back")

        // A day later it is said again.
        let notices = e2e.directory.appendingPathComponent(".cache/copypt/notices.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: notices)) as? [String: [String: String]])
        object["globus_login"]?["at"] = RFC3339.string(from: Date().addingTimeInterval(-25 * 3600))
        try JSONSerialization.data(withJSONObject: object).write(to: notices)
        #expect(try await e2e.sweep(environment: broken).stderr.contains("rejected service-account client"))

        // Fixed: Globus answers, the notice is forgotten, and the next break is said at once.
        let fixed = try await e2e.sweep()
        #expect(fixed.status == 0, "stderr: \(fixed.stderr)")
        #expect(!(String(decoding: (try? Data(contentsOf: notices)) ?? Data(), as: UTF8.self)).contains("globus_login"))
        #expect(try await e2e.sweep(environment: broken).stderr.contains("rejected service-account client"))
    }

    @Test("a sweep refused for want of a consent says so once a day, naming `copypt login --collection`; exit 2 every time")
    func sweepSaysConsentOnceADay() async throws {
        let e2e = try await EndToEndFixture()
        try await e2e.createBucket("stg")
        let task = try await e2e.task(bucket: "stg", prefix: "run/", ["a.dat"])
        _ = try await e2e.add(task: task, from: "s3://stg/run/", to: "s3://dst/run/")
        let consent: [String: Any] = [
            "code": "ConsentRequired", "message": "Missing required data_access consent", "request_id": "r1",
            "required_scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/1b7e5c1e-5a0c-11ef-9a6c-0242ac120002/data_access]"],
        ]
        try await e2e.globus.queueReply(status: 403, body: consent, pathPrefix: "/v0.10/task_list", times: 3)
        let first = try await e2e.sweep()
        #expect(first.status == 2)
        #expect(first.stderr.contains("copypt login --collection"), "\(first.stderr)")
        for _ in 0..<2 {
            let again = try await e2e.sweep()
            #expect(again.status == 2)
            #expect(again.stderr.isEmpty, "said again within the day: \(again.stderr)")
        }
    }

    @Test("a sweep warns once a day about a login last renewed longer ago than --warn-refresh-age")
    func sweepWarnsAboutOldLogin() async throws {
        let e2e = try await EndToEndFixture()
        let tokenFile = try await Self.login(e2e)
        try Self.age(tokenFile, days: 40)
        let first = try await e2e.sweep(environment: Self.person)
        #expect(first.status == 0)
        #expect(first.stderr.contains("warning: the Globus login was last renewed 40 days ago"), "\(first.stderr)")
        let second = try await e2e.sweep(environment: Self.person)
        #expect(second.stderr.isEmpty, "\(second.stderr)")
        let off = try await e2e.sweep(["--once", "--warn-refresh-age", "0"], environment: Self.person)
        #expect(off.stderr.isEmpty)
    }
}
