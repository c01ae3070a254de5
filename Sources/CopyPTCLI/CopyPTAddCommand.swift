import ArgumentParser

/// The `copypt-add` executable: `copypt add` under its own name, so help and errors say `copypt-add`.
public struct CopyPTAddCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "copypt-add",
        abstract: CopyPTCommand.Add.configuration.abstract,
        discussion: CopyPTCommand.Add.configuration.discussion,
        version: CopyPTVersion.current
    )

    @OptionGroup var add: CopyPTCommand.Add

    public init() {}

    public func run() async throws {
        try await add.run()
    }
}
