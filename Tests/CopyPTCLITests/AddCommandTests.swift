import CopyPTCLI
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// One invalid `copypt-add` invocation.
struct BadAdd: Sendable, CustomTestStringConvertible {
    var why: String
    var arguments: [String]
    /// Text the one-line message must contain.
    var mentions: String
    var testDescription: String { why }

    static let base: [(String, String)] = [
        ("--task", CLI.taskID), ("--from", "s3://my-staging/run42/"), ("--to", "s3://lab-archive/run42/"),
    ]

    /// The valid base arguments with `changes` applied (`nil` removes an option) and `extra` appended.
    init(_ why: String, _ changes: [String: String?] = [:], extra: [String] = [], mentions: String) {
        var arguments: [String] = []
        for (option, value) in Self.base {
            let replaced: String?
            if let change = changes[option] { replaced = change } else { replaced = value }
            if let replaced { arguments += [option, replaced] }
        }
        for (option, value) in changes where !Self.base.contains(where: { $0.0 == option }) {
            if let value { arguments += [option, value] }
        }
        self.why = why
        self.arguments = arguments + extra
        self.mentions = mentions
    }
}

@Suite struct AddCommandTests {
    static let badInputs: [BadAdd] = [
        BadAdd("no --task", ["--task": nil], mentions: "--task"),
        BadAdd("no --to", ["--to": nil], mentions: "--to"),
        BadAdd("task is not a UUID", ["--task": "task-42"], mentions: "UUID"),
        BadAdd("task UUID in braces", ["--task": "{6c9a4e2e-1b7f-11ef-9e4d-0242ac120002}"], mentions: "UUID"),
        BadAdd("task UUID cut short", ["--task": "6c9a4e2e-1b7f-11ef-9e4d"], mentions: "UUID"),
        BadAdd("from is an https URL", ["--from": "https://my-staging.s3.amazonaws.com/run42/"], mentions: "s3://BUCKET/PREFIX/"),
        BadAdd("from has no scheme", ["--from": "my-staging/run42/"], mentions: "s3://BUCKET/PREFIX/"),
        BadAdd("from has no bucket", ["--from": "s3:///run42/"], mentions: "no bucket name"),
        BadAdd("bucket shorter than 3", ["--from": "s3://ab/run42/"], mentions: "2 characters long"),
        BadAdd("bucket longer than 63", ["--from": "s3://\(String(repeating: "a", count: 64))/x/"], mentions: "64 characters long"),
        BadAdd("bucket with upper case", ["--from": "s3://My-Staging/run42/"], mentions: "upper case"),
        BadAdd("bucket with underscore", ["--to": "s3://lab_archive/run42/"], mentions: "contains '_'"),
        BadAdd("bucket starting with a hyphen", ["--to": "s3://-lab-archive/run42/"], mentions: "begin and end"),
        BadAdd("bucket ending with a dot", ["--to": "s3://lab-archive./run42/"], mentions: "begin and end"),
        BadAdd("bucket with two dots in a row", ["--from": "s3://my..staging/run42/"], mentions: "two dots"),
        BadAdd("bucket formatted as an IP address", ["--from": "s3://192.168.5.4/run42/"], mentions: "IP address"),
        BadAdd("bucket with the xn-- prefix", ["--from": "s3://xn--staging/run42/"], mentions: "xn--"),
        BadAdd("bucket with the sthree- prefix", ["--to": "s3://sthree-archive/run42/"], mentions: "sthree-"),
        BadAdd("bucket with the -s3alias suffix", ["--to": "s3://lab-archive-s3alias/run42/"], mentions: "-s3alias"),
        BadAdd("bucket with the --ol-s3 suffix", ["--to": "s3://lab-archive--ol-s3/run42/"], mentions: "--ol-s3"),
        BadAdd("prefix with an empty segment", ["--from": "s3://my-staging//run42/"], mentions: "empty segment"),
        BadAdd("prefix with a .. segment", ["--from": "s3://my-staging/run42/../other/"], mentions: "'..'"),
        BadAdd("from and to the same", ["--to": "s3://my-staging/run42"], mentions: "same location"),
        BadAdd("to inside from", ["--to": "s3://my-staging/run42/copy/"], mentions: "overlap"),
        BadAdd("from inside to", ["--to": "s3://my-staging/"], mentions: "overlap"),
        BadAdd("dest owner too short", ["--dest-owner": "12345"], mentions: "12 digits"),
        BadAdd("source owner too long", ["--source-owner": "1234567890123"], mentions: "12 digits"),
        BadAdd("dest owner not digits", ["--dest-owner": "12345678901a"], mentions: "12 digits"),
        BadAdd("unknown ACL", ["--acl": "private"], mentions: "bucket-owner-full-control"),
        BadAdd("unknown storage class", ["--storage-class": "COLD"], mentions: "GLACIER_IR"),
        BadAdd("unknown SSE", ["--sse": "AES"], mentions: "aws:kms"),
        BadAdd("KMS key without --sse", ["--sse-kms-key-id": "alias/lab"], mentions: "--sse aws:kms"),
        BadAdd("KMS key with AES256", ["--sse": "AES256", "--sse-kms-key-id": "alias/lab"], mentions: "--sse aws:kms"),
        BadAdd("relative Globus path", ["--globus-path": "my-staging/run42/"], mentions: "absolute"),
        BadAdd("Globus path with //", ["--globus-path": "/my-staging//run42/"], mentions: "empty segment"),
        BadAdd("empty label", ["--label": ""], mentions: "label"),
        BadAdd("two-line label", ["--label": "run 42\nrm -rf"], mentions: "one line"),
        BadAdd("profile with a space", ["--profile": "my profile"], mentions: "profile"),
        BadAdd("empty state dir", ["--state-dir": ""], mentions: "directory"),
        BadAdd("misspelt option", extra: ["--lable", "x"], mentions: "--lable"),
        BadAdd("verbose and quiet", extra: ["--verbose", "--quiet"], mentions: "--verbose"),
        BadAdd("stray argument", extra: ["run42"], mentions: "run42"),
    ]

    @Test("invalid input: exit 2, one line on stderr naming the problem, nothing on stdout, no state dir", arguments: badInputs)
    func invalidInputInProcess(_ bad: BadAdd) async throws {
        try await TemporaryDirectory.with { root in
            let state = root.appendingPathComponent("state")
            let environment = ["COPYPT_STATE_DIR": state.path, "HOME": root.path]
            // Every other case goes through `copypt add`, the rest through `copypt-add`'s root
            // (argument-parser is slow in debug builds; both share the same options).
            let viaUmbrella = Self.badInputs.firstIndex { $0.why == bad.why }.map { $0 % 2 == 1 } ?? false
            do {
                let result = viaUmbrella
                    ? await CLI.run(["add"] + bad.arguments, environment: environment)
                    : await CLI.run(CopyPTAddCommand.self, bad.arguments, environment: environment)
                #expect(result.stderr.hasPrefix(viaUmbrella ? "copypt add: " : "copypt-add: "))
                #expect(result.status == 2, "\(result)")
                #expect(result.isOneLineError, "stderr: \(result.stderr)")
                #expect(result.stderr.contains(bad.mentions), "stderr: \(result.stderr)")
                #expect(result.stdout.isEmpty)
                #expect(!FileManager.default.fileExists(atPath: state.path))
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path)
                #expect(leftovers.isEmpty)
            }
        }
    }

    @Test("invalid input through the built copypt-add executable: exit 2, one line, no state dir",
          arguments: [0, 2, 10, 15, 18, 22, 24, 29, 31, 39].map { badInputs[$0] })
    func invalidInputExecutable(_ bad: BadAdd) async throws {
        try await TemporaryDirectory.with { root in
            let state = root.appendingPathComponent("state")
            let result = try await ChildProcess.run(try CLI.executable("copypt-add"), bad.arguments,
                                                    environment: ["COPYPT_STATE_DIR": state.path, "XDG_STATE_HOME": nil, "HOME": root.path])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.hasPrefix("copypt-add: "), "\(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1 && result.stderr.hasSuffix("\n"), "\(result.stderr)")
            #expect(result.stderr.contains(bad.mentions))
            #expect(result.stdout.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        }
    }

    @Test("a valid add prints one id, writes the record and creates the state dir 0700")
    func addsRecord() async throws {
        try await TemporaryDirectory.with { root in
            let state = root.appendingPathComponent("new/state")
            let result = await CLI.run(["add", "--no-check", "--task", CLI.taskID.uppercased(), "--from", "s3://my-staging/run42",
                                        "--to", "s3://lab-archive/2026/run42/", "--dest-owner", "111122223333",
                                        "--source-owner", "444455556666", "--acl", "none", "--storage-class", "glacier_ir",
                                        "--sse", "aws:kms", "--sse-kms-key-id", "alias/lab", "--delete-staging",
                                        "--label", "run 42 ü", "--profile", "lab"],
                                       environment: ["COPYPT_STATE_DIR": state.path])
            #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
            let id = result.stdout.trimmingCharacters(in: .newlines)
            #expect(result.stdout == id + "\n")
            #expect(id.hasPrefix("20261125-") && id.count == 15)
            let record = try RecordStore(root: state).load(id)
            #expect(record.globusTaskID == CLI.taskID)
            #expect(record.from.url == "s3://my-staging/run42/" && record.to.url == "s3://lab-archive/2026/run42/")
            #expect(record.globusPath == "/my-staging/run42/")
            #expect(record.options == CopyOptions(acl: .none, storageClass: .glacierIR, sse: .awsKMS, sseKMSKeyID: "alias/lab",
                                                  destOwner: "111122223333", sourceOwner: "444455556666",
                                                  deleteStaging: true, profile: "lab"))
            #expect(record.state == .waiting && record.label == "run 42 ü")
            #expect(record.createdAt == CLI.now && record.updatedAt == CLI.now)
            for path in [state.path, state.appendingPathComponent("transfers").path] {
                var info = stat()
                #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o700, "\(path)")
            }
        }
    }

    @Test("--globus-path is kept (with a trailing slash) and --json prints the record")
    func globusPathAndJSON() async throws {
        try await TemporaryDirectory.with { root in
            let result = await CLI.run(["add", "--no-check", "--task", CLI.taskID, "--from", "s3://my-staging/run42/",
                                        "--to", "s3://lab-archive/", "--globus-path", "/~/staging/run42", "--json",
                                        "--state-dir", root.path])
            #expect(result.status == 0, "\(result)")
            let record = try RecordCoding.decode(Data(result.stdout.utf8), path: "stdout")
            #expect(record.globusPath == "/~/staging/run42/")
            #expect(try RecordStore(root: root).load(record.id) == record)
        }
    }

    @Test("adding the identical transfer again prints the existing id and writes nothing")
    func idempotentReAdd() async throws {
        try await TemporaryDirectory.with { root in
            let first = try await CLI.add(state: root, ["--label", "run 42"])
            let second = try await CLI.add(state: root, ["--label", "run 42"])
            let third = try await CLI.add(state: root, ["--label", "run 42"], from: "s3://my-staging/run42")
            #expect(first == second && second == third)
            #expect(try RecordStore(root: root).loadAll().records.count == 1)
        }
    }

    @Test("the same transfer with other options is refused with exit 2; after cancel it is queued anew")
    func conflictingReAdd() async throws {
        try await TemporaryDirectory.with { root in
            let first = try await CLI.add(state: root)
            let conflict = await CLI.run(["add", "--no-check", "--task", CLI.taskID, "--from", "s3://my-staging/run42/",
                                          "--to", "s3://lab-archive/run42/", "--sse", "AES256", "--state-dir", root.path])
            #expect(conflict.status == 2 && conflict.isOneLineError && conflict.stderr.contains(first), "\(conflict)")
            #expect(await CLI.run(["cancel", first, "--state-dir", root.path]).status == 0)
            let again = try await CLI.add(state: root, ["--sse", "AES256"])
            #expect(again != first)
            #expect(try RecordStore(root: root).loadAll().records.count == 2)
        }
    }

    @Test("the built copypt-add queues once, and a second identical run prints the same id")
    func executableAddsOnce() async throws {
        try await TemporaryDirectory.with { root in
            let state = root.appendingPathComponent("state")
            let arguments = ["--no-check", "--task", CLI.taskID, "--from", "s3://my-staging/run42/", "--to", "s3://lab-archive/run42/"]
            let environment: [String: String?] = ["COPYPT_STATE_DIR": state.path]
            let first = try await ChildProcess.run(try CLI.executable("copypt-add"), arguments, environment: environment)
            let second = try await ChildProcess.run(try CLI.executable("copypt-add"), arguments, environment: environment)
            #expect(first.status == 0 && second.status == 0, "\(first) \(second)")
            #expect(first.stderr.isEmpty && first.stdout.count == 16 && first.stdout == second.stdout)
            #expect(try RecordStore(root: state).loadAll().records.map { $0.id + "\n" } == [first.stdout])
        }
    }

    @Test("copypt-add's help names copypt-add and lists every option of the issue")
    func help() {
        let help = CopyPTAddCommand.helpMessage(columns: 200)
        #expect(help.contains("USAGE: copypt-add "))
        for option in ["--task <uuid>", "--from <s3://bucket/prefix/>", "--to <s3://bucket/prefix/>", "--globus-path <path>",
                       "--dest-owner <account>", "--source-owner <account>", "--acl <acl>", "--storage-class <storage-class>",
                       "--sse <sse>", "--sse-kms-key-id <id>", "--delete-staging", "--label <text>", "--profile <name>",
                       "--state-dir <dir>", "--json", "values: bucket-owner-full-control, none", "values: AES256, aws:kms"] {
            #expect(help.contains(option), "\(option)")
        }
        #expect(CopyPTCommand.helpMessage(for: CopyPTCommand.Add.self).contains("USAGE: copypt add "))
    }
}
