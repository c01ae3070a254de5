import ArgumentParser

extension CopyPTCommand {
    /// `copypt login` (placeholder until its issue lands).
    public struct Login: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "login", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
