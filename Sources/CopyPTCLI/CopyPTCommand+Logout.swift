import ArgumentParser

extension CopyPTCommand {
    /// `copypt logout` (placeholder until its issue lands).
    public struct Logout: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "logout", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
