import ArgumentParser

/// The `copypt-sweep` executable: `copypt sweep` under its own name, so help and errors say `copypt-sweep`.
public struct CopyPTSweepCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "copypt-sweep",
        abstract: CopyPTCommand.Sweep.configuration.abstract,
        discussion: CopyPTCommand.Sweep.configuration.discussion,
        version: CopyPTVersion.current
    )

    @OptionGroup var sweep: CopyPTCommand.Sweep

    public init() {}

    public func run() async throws {
        try await sweep.run()
    }
}
