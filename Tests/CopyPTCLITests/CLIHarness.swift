import ArgumentParser
import CopyPTCLI
import CopyPTTestSupport
import Foundation
import Testing

/// What a command run left behind.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stderr holds exactly one line.
    var isOneLineError: Bool {
        stderr.hasSuffix("\n") && stderr.dropLast().allSatisfy { $0 != "\n" && $0 != "\r" } && stderr.count > 1
    }
}

/// Runs commands in-process through the same entry the executables use.
enum CLI {
    /// 2026-11-25T09:41:07Z.
    static let now = Date(timeIntervalSince1970: 1_795_599_667)

    static let taskID = "6c9a4e2e-1b7f-11ef-9e4d-0242ac120002"

    /// Runs `copypt ARGUMENTS…`.
    static func run(_ arguments: [String], environment: [String: String] = [:], at date: Date = now) async -> CLIResult {
        await run(CopyPTCommand.self, arguments, environment: environment, at: date)
    }

    /// Runs `command` (e.g. `CopyPTAddCommand`, the `copypt-add` executable's root) with `arguments`.
    static func run(
        _ command: any ParsableCommand.Type,
        _ arguments: [String],
        environment: [String: String] = [:],
        at date: Date = now
    ) async -> CLIResult {
        let out = TextCapture()
        let err = TextCapture()
        let context = CommandContext(
            environment: environment,
            standardOutput: { out.append($0) },
            standardError: { err.append($0) },
            now: { date })
        let status = await CommandContext.$current.withValue(context) {
            await CopyPTMain.run(command, arguments: arguments)
        }
        return CLIResult(status: status, stdout: out.text, stderr: err.text)
    }

    /// `copypt add` of a valid transfer into `state`, returning the id it printed.
    static func add(state: URL, _ extra: [String] = [], task: String = taskID,
                    from: String = "s3://my-staging/run42/", to: String = "s3://lab-archive/run42/") async throws -> String {
        let result = await run(["add", "--no-check", "--task", task, "--from", from, "--to", to, "--state-dir", state.path] + extra)
        try #require(result.status == 0, "add failed: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// The built executable `name` (the tests fail, not skip, when it is missing).
    static func executable(_ name: String) throws -> String {
        try #require(BuildProducts.executable(name), "\(name) not found beside the test bundle; run `swift build` first")
    }
}
