import Foundation

/// `scripts/lint-policy`: parliament (the AWS IAM policy linter, PyPI) over policies copypt prints.
public enum PolicyLinter {
    /// Why the linter could not judge the text (not JSON, no policy in it, parliament missing).
    public struct LintError: Error, CustomStringConvertible {
        public let description: String
    }

    /// parliament's findings for every JSON policy in `text`, one line each; empty when all pass.
    ///
    /// `text` may hold several documents, each starting on a line that begins with `{`, with
    /// heading lines between them (the shape `copypt policy` prints). Every finding counts, at any
    /// severity, except `RESOURCE_STAR` in a KMS key policy (see the script).
    /// - Throws: ``LintError`` when the text holds no policy or is not JSON.
    public static func findings(in text: String) async throws -> [String] {
        try await TemporaryDirectory.with("copypt-lint") { directory in
            let file = directory.appendingPathComponent("policies.txt")
            try Data(text.utf8).write(to: file)
            let result = try await ChildProcess.run(ProjectPaths.script("lint-policy").path, [file.path])
            switch result.status {
            case 0, 1:
                return result.stdout.split(separator: "\n").map(String.init)
            default:
                throw LintError(description: "lint-policy exited \(result.status): \(result.stderr)")
            }
        }
    }
}
