import Foundation

/// Runs a command on a pseudo-terminal (`scripts/lib/pty_run.py`, python3's `pty` support), as
/// a person at a terminal would: stdin, stdout and stderr are the terminal, of a given width,
/// and Ctrl-C can be typed once some output appears.
public enum PseudoTerminal {
    /// What the terminal showed.
    public struct Result: Sendable {
        /// Exit status (128 + N when killed by signal N; -1 when it timed out).
        public var status: Int32
        /// Everything written to the terminal, stdout and stderr interleaved, with `\r\n` line ends.
        public var output: String
    }

    /// Runs `executable arguments` on a terminal `columns` wide.
    /// - Parameters:
    ///   - interruptOn: a Python regular expression; Ctrl-C is typed once the output matches it.
    ///   - environment: added to (or, with `nil`, removed from) this process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], columns: Int = 100, interruptOn: String? = nil,
        timeout: Int = 120, environment: [String: String?] = [:]
    ) async throws -> Result {
        var options = ["--columns", String(columns), "--timeout", String(timeout)]
        if let interruptOn { options += ["--interrupt-on", interruptOn] }
        let script = ProjectPaths.script("lib/pty_run.py").path
        let child = try await ChildProcess.run("python3", [script] + options + ["--", executable] + arguments, environment: environment)
        guard child.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(child.stdout.utf8)) as? [String: Any],
              let status = object["status"] as? Int, let output = object["output"] as? String
        else {
            throw ServerProcess.StartError(description: "pty_run.py failed (\(child.status)): \(child.stderr)")
        }
        return Result(status: Int32(status), output: output)
    }
}
