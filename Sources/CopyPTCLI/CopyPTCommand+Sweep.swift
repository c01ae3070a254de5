import ArgumentParser

extension CopyPTCommand {
    /// `copypt sweep` (placeholder until its issue lands).
    public struct Sweep: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "sweep", abstract: "Not implemented yet.")
        public init() {}
        public func run() async throws {
            throw ExitCode(2)
        }
    }
}
