import CopyPTTestSupport
import Foundation
import Testing

/// The same conventions in every command, checked through the built executables: misspelt
/// options and subcommands are named with the nearest one, and `--verbose`, `--quiet` and
/// `--json` mean the same everywhere.
@Suite struct CLIConsistencyTests {
    /// A mistyped command line and what the one line on stderr must say.
    struct Typo: Sendable, CustomTestStringConvertible {
        var executable: String
        var arguments: [String]
        var says: String
        var testDescription: String { "\(executable) \(arguments.joined(separator: " "))" }
    }

    static let typos: [Typo] = [
        // validate() used to answer these ("invalid S3 location 4", "add --recursive").
        Typo(executable: "copypt", arguments: ["copy", "--concurency", "4", "s3://a/k", "s3://b/"],
             says: "copypt copy: Unknown option '--concurency'. Did you mean '--concurrency'?"),
        Typo(executable: "copypt", arguments: ["copy", "--recursve", "s3://a/run/", "s3://b/"],
             says: "copypt copy: Unknown option '--recursve'. Did you mean '--recursive'?"),
        Typo(executable: "copypt", arguments: ["cpy", "s3://a/k", "s3://b/"], says: "copypt: Unknown command 'cpy'. Did you mean 'copy'?"),
        Typo(executable: "copypt", arguments: ["stauts"], says: "copypt: Unknown command 'stauts'. Did you mean 'status'?"),
        Typo(executable: "copypt", arguments: ["add", "--tsk", "x", "--from", "s3://a/p/", "--to", "s3://b/p/"],
             says: "copypt add: Unknown option '--tsk'. Did you mean '--task'?"),
        Typo(executable: "copypt", arguments: ["sweep", "--onc"], says: "copypt sweep: Unknown option '--onc'. Did you mean '--once'?"),
        Typo(executable: "copypt", arguments: ["status", "--stat", "failed"], says: "copypt status: Unknown option '--stat'. Did you mean '--state'?"),
        Typo(executable: "copypt", arguments: ["cancel", "x", "--jsn"], says: "copypt cancel: Unknown option '--jsn'. Did you mean '--json'?"),
        Typo(executable: "copypt", arguments: ["retry", "x", "--quite"], says: "copypt retry: Unknown option '--quite'. Did you mean '--quiet'?"),
        Typo(executable: "copypt", arguments: ["login", "--verbos"], says: "copypt login: Unknown option '--verbos'. Did you mean '--verbose'?"),
        Typo(executable: "copypt", arguments: ["logout", "--token-fil", "x"],
             says: "copypt logout: Unknown option '--token-fil'. Did you mean '--token-file'?"),
        Typo(executable: "copypt-add", arguments: ["--task", "x", "--lable", "y"], says: "copypt-add: Unknown option '--lable'. Did you mean '--label'?"),
        Typo(executable: "copypt-sweep", arguments: ["--dry-rn"], says: "copypt-sweep: Unknown option '--dry-rn'. Did you mean '--dry-run'?"),
    ]

    @Test("a misspelt option or subcommand gets 'Did you mean …?', exit 2, one line, in every command", arguments: typos)
    func misspelt(_ typo: Typo) async throws {
        try await TemporaryDirectory.with { root in
            let result = try await ChildProcess.run(
                try CLI.executable(typo.executable), typo.arguments,
                environment: ["COPYPT_STATE_DIR": root.appendingPathComponent("state").path, "HOME": root.path])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.hasPrefix(typo.says + " (see '"), "\(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1 && result.stdout.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        }
    }

    @Test("every command takes --verbose, --quiet and --json, with one help text each")
    func globalOptions() async throws {
        var helpLines: [String: Set<String>] = [:]
        for command in ["add", "sweep", "status", "copy", "cancel", "retry", "login", "logout"] {
            let help = try await ChildProcess.run(try CLI.executable("copypt"), [command, "--help"])
            #expect(help.status == 0)
            let all = help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let lines = Array(all.drop { $0 != "OPTIONS:" })
            for flag in ["-v, --verbose", "-q, --quiet", "--json"] {
                let start = try #require(lines.firstIndex { $0.hasPrefix(flag + " ") }, "\(command) --help lacks \(flag)")
                // The text, with its wrapped continuation lines (wrapped at each command's own column).
                let rest = lines[(start + 1)...].prefix { !$0.isEmpty && !$0.hasPrefix("-") }
                let text = ([lines[start]] + rest).joined(separator: " ").split(separator: " ").joined(separator: " ")
                helpLines[flag, default: []].insert(text)
            }
        }
        for (flag, texts) in helpLines { #expect(texts.count == 1, "\(flag) has several help texts: \(texts)") }
    }

    @Test("logout takes --json and --quiet: a JSON answer with a schema_version, or nothing")
    func logoutOutput() async throws {
        try await TemporaryDirectory.with { root in
            let environment: [String: String?] = ["XDG_CONFIG_HOME": root.path, "HOME": root.path]
            let json = try await ChildProcess.run(try CLI.executable("copypt"), ["logout", "--json"], environment: environment)
            #expect(json.status == 0, "\(json)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["schema_version"] as? Int == 1)
            #expect(object["logged_out"] as? Bool == false)
            #expect((object["token_file"] as? String)?.hasSuffix("copypt/globus-tokens.json") == true)
            let quiet = try await ChildProcess.run(try CLI.executable("copypt"), ["logout", "--quiet"], environment: environment)
            #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet)")
        }
    }
}
