import CopyPTCLI
import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// `copypt transfer`'s input checks: one line, exit 2, nothing written, nothing sent.
@Suite struct TransferCommandTests {
    static let source = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc:/data/run42/"
    static let staging = "31ce9ba0-176d-45a5-add3-f37d233ba47d"

    static func arguments(source: String = source, destination: String = "s3://lab-archive/run42/",
                          staging: String = "s3://my-staging/run42/", extra: [String] = []) -> [String] {
        ["transfer", source, destination, "--staging", staging, "--staging-collection", Self.staging, "--no-check"] + extra
    }

    @Test("bad input is one line naming the problem, exit 2, and no record", arguments: [
        (arguments(source: "data/run42/"), "COLLECTION_UUID:/path/"),
        (arguments(source: "lab:/data/run42/"), "collection id is a UUID"),
        (arguments(source: "6c54cade-bde5-45c1-bdea-f4bd71dba2cc:data/run42/"), "absolute"),
        (arguments(source: "6c54cade-bde5-45c1-bdea-f4bd71dba2cc:/data/../etc/"), "'..' segment"),
        (arguments(staging: "s3://lab-archive/run42/"), "same location"),
        (arguments(staging: "s3://lab-archive/"), "overlap"),
        (arguments(extra: ["--sync-level", "newer"]), "sync-level"),
        (arguments(extra: ["--deadline", "tomorrow"]), "duration from now"),
        (arguments(extra: ["--deadline", "2020-01-01T00:00:00Z"]), "already past"),
        (arguments(extra: ["--sse-kms-key-id", "alias/x"]), "--sse aws:kms"),
        (["transfer", source, "s3://lab-archive/run42/", "--staging", "s3://my-staging/run42/", "--staging-collection", "staging"], "collection id is a UUID"),
    ])
    func badInput(arguments: [String], says: String) async throws {
        let state = try TemporaryDirectory.make("copypt-transfer")
        defer { try? FileManager.default.removeItem(at: state) }
        let result = await CLI.run(arguments + ["--state-dir", state.path], environment: ["HOME": state.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.isOneLineError, "\(result.stderr)")
        #expect(result.stderr.contains(says), "\(result.stderr)")
        let records = (try? RecordStore(root: state).loadAll().records) ?? []
        #expect(records.isEmpty)
    }

    @Test("transfer takes add's copy options (one argument group), and its help lists them")
    func help() {
        let help = CopyPTCommand.helpMessage(for: CopyPTCommand.Transfer.self, columns: 200)
        for option in ["--staging <s3://bucket/prefix/>", "--staging-collection <uuid>", "--globus-path <path>", "--sync-level <sync-level>",
                       "--no-verify-checksum", "--deadline <deadline>", "--label <text>", "--no-check", "--wait",
                       "--dest-owner <account>", "--source-owner <account>", "--acl <acl>", "--storage-class <storage-class>",
                       "--sse <sse>", "--sse-kms-key-id <id>", "--delete-staging", "--profile <name>", "values: exists, size, mtime, checksum"] {
            #expect(help.contains(option), "\(option)")
        }
        let add = CopyPTCommand.helpMessage(for: CopyPTCommand.Add.self, columns: 200)
        for option in ["--dest-owner", "--acl", "--storage-class", "--sse-kms-key-id", "--delete-staging", "--profile"] {
            #expect(add.contains(option) && help.contains(option), "\(option)")
        }
    }
}
