import Foundation

/// Where SwiftPM put the built executables (`copypt`, `copypt-add`, `copypt-sweep`) for the
/// test run: the directory of the running test bundle or one above it.
public enum BuildProducts {
    /// The path of the built executable `name`, or `nil` when it cannot be found.
    public static func executable(_ name: String) -> String? {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL)
        for candidate in candidates {
            let path = candidate.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
