import ArgumentParser

extension CopyPTCommand {
    /// `copypt status` (placeholder until its issue lands).
    public struct Status: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "status", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
