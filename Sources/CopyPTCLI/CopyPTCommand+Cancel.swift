import ArgumentParser

extension CopyPTCommand {
    /// `copypt cancel` (placeholder until its issue lands).
    public struct Cancel: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
