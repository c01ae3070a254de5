import ArgumentParser

extension CopyPTCommand {
    /// `copypt retry` (placeholder until its issue lands).
    public struct Retry: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "retry", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
