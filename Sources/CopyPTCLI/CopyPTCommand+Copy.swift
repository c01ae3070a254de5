import ArgumentParser

extension CopyPTCommand {
    /// `copypt copy` (placeholder until its issue lands).
    public struct Copy: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "copy", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
