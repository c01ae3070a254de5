import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// The examples in cron/ as people install them: the crontab's own command line, run the way
/// cron runs it (`/bin/sh -c`, an empty environment but HOME, LOGNAME, SHELL and the crontab's
/// variables) in a home that has never seen copypt.
@Suite struct CronExampleTests {
    /// The variables and the one command line of a crontab file.
    struct Crontab {
        var variables: [String: String] = [:]
        var commands: [String] = []

        init(_ text: String) {
            for raw in text.split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                if fields.count == 6, let first = fields.first, first.first.map({ $0.isNumber || $0 == "*" || $0 == "@" }) == true {
                    commands.append(String(fields[5]))
                } else if let equals = line.firstIndex(of: "=") {
                    variables[String(line[..<equals]).trimmingCharacters(in: .whitespaces)] =
                        String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
                }
            }
        }
    }

    static func crontab() throws -> Crontab {
        Crontab(try String(contentsOf: ProjectPaths.root.appendingPathComponent("cron/copypt.crontab"), encoding: .utf8))
    }

    /// Runs `command` as cron would, under `env -i`, with PATH the built executables and /usr/bin:/bin.
    static func runAsCron(_ command: String, crontab: Crontab, home: URL) async throws -> ChildProcess.Result {
        let binDirectory = URL(fileURLWithPath: try EndToEndFixture.executable("copypt-sweep")).deletingLastPathComponent().path
        var assignments = ["HOME=\(home.path)", "LOGNAME=copypt-test", "SHELL=/bin/sh"]
        for (key, value) in crontab.variables where key != "PATH" { assignments.append("\(key)=\(value)") }
        assignments.append("PATH=\(binDirectory):/usr/bin:/bin")
        return try await ChildProcess.run("/usr/bin/env", ["-i"] + assignments + ["/bin/sh", "-c", command])
    }

    @Test("the crontab line on a fresh home: silent, exit 0, state and metrics created; with the env file it loads the client secret and sweeps")
    func crontabOnFreshHome() async throws {
        let crontab = try Self.crontab()
        #expect(crontab.variables["MAILTO"] != nil)
        let command = try #require(crontab.commands.first)
        #expect(crontab.commands.count == 1)

        let e2e = try await EndToEndFixture()
        let home = e2e.directory.appendingPathComponent("fresh-home", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: false)

        // A home that has never seen copypt: nothing to do, nothing to say.
        let first = try await Self.runAsCron(command, crontab: crontab, home: home)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stdout.isEmpty && first.stderr.isEmpty, "stdout: \(first.stdout) stderr: \(first.stderr)")
        let metrics = home.appendingPathComponent(".local/state/copypt/copypt.prom")
        #expect(FileManager.default.fileExists(atPath: metrics.path))

        // The documented setup: ~/.config/copypt/env (0600) with the service account and the
        // AWS profile; the endpoints are this test's local servers.
        let config = home.appendingPathComponent(".config/copypt", isDirectory: true)
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        var env = """
            AWS_PROFILE=copypt
            AWS_ENDPOINT_URL_S3=\(e2e.moto.baseURL)
            COPYPT_GLOBUS_CLIENT_ID=\(EndToEndFixture.clientID)
            COPYPT_GLOBUS_CLIENT_SECRET=\(EndToEndFixture.clientSecret)

            """
        for (key, value) in e2e.globus.environment.sorted(by: { $0.key < $1.key }) { env += "\(key)=\(value)\n" }
        let envFile = config.appendingPathComponent("env")
        try Data(env.utf8).write(to: envFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: envFile.path)
        let aws = home.appendingPathComponent(".aws", isDirectory: true)
        try FileManager.default.createDirectory(at: aws, withIntermediateDirectories: true)
        try Data("""
            [copypt]
            aws_access_key_id = \(EndToEndFixture.credentials.accessKeyID)
            aws_secret_access_key = \(EndToEndFixture.credentials.secretAccessKey)

            """.utf8).write(to: aws.appendingPathComponent("credentials"))
        try Data("[profile copypt]\nregion = us-east-1\n".utf8).write(to: aws.appendingPathComponent("config"))

        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run1/a.txt", Array("hello".utf8))
        let task = try await e2e.task(bucket: "staging", prefix: "run1/", ["a.txt"], status: "ACTIVE")
        let loadEnv = #"set -a; . "$HOME/.config/copypt/env"; set +a; "#
        let add = try await Self.runAsCron(
            loadEnv + "exec copypt-add --task \(task) --from s3://staging/run1/ --to s3://dest/run1/ --label run1",
            crontab: crontab, home: home)
        #expect(add.status == 0, "stderr: \(add.stderr)")
        let id = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Waiting: Globus is asked (as the service account from the env file); nothing to say.
        try await e2e.globus.clearRequests()
        let waiting = try await Self.runAsCron(command, crontab: crontab, home: home)
        #expect(waiting.status == 0, "stderr: \(waiting.stderr)")
        #expect(waiting.stdout.isEmpty && waiting.stderr.isEmpty, "stdout: \(waiting.stdout) stderr: \(waiting.stderr)")
        #expect(try await e2e.globus.requests().contains { $0.authScheme == "Basic" })

        // Done: the one line cron mails.
        try await e2e.globus.updateTask(task, status: "SUCCEEDED")
        let done = try await Self.runAsCron(command, crontab: crontab, home: home)
        #expect(done.status == 0, "stderr: \(done.stderr)")
        #expect(done.stdout == "\(id) run1: waiting → done, 1 object, 5 B\n")
        #expect(done.stderr.isEmpty)
        #expect(try await e2e.get("dest", "run1/a.txt") == Array("hello".utf8))
    }

    @Test("the systemd service reads the same env file the crontab loads, and runs the same sweep")
    func systemdMatchesCrontab() throws {
        let service = try String(contentsOf: ProjectPaths.root.appendingPathComponent("cron/copypt-sweep.service"), encoding: .utf8)
        let lines = service.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        #expect(lines.contains("EnvironmentFile=-%h/.config/copypt/env"))
        let command = try #require(try Self.crontab().commands.first)
        #expect(command.contains(#". "$HOME/.config/copypt/env""#))
        let exec = try #require(lines.first { $0.hasPrefix("ExecStart=") })
        #expect(exec == "ExecStart=copypt-sweep --once --metrics-file %h/.local/state/copypt/copypt.prom")
        #expect(command.hasSuffix(#"exec copypt-sweep --once --metrics-file "$HOME/.local/state/copypt/copypt.prom""#))
        #expect(lines.contains("SuccessExitStatus=75"))
    }
}
