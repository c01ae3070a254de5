import ArgumentParser

extension CopyPTCommand {
    /// `copypt add` (placeholder until its issue lands).
    public struct Add: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "add", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
