import ArgumentParser
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt cancel ID`.
    public struct Cancel: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a transfer: the sweep leaves it alone from now on.",
            discussion: """
                A waiting, copying or failed transfer becomes cancelled; cancelling a cancelled one \
                does nothing; a done one cannot be cancelled. Objects already copied stay where they \
                are, and the Globus task itself is not touched (cancel it with `globus task cancel`). \
                `copypt retry ID` re-queues a cancelled transfer.

                EXIT STATUS: 0 cancelled (or already), 2 unknown id or done transfer, \
                75 another copypt process holds the transfer right now (try again).
                """
        )

        @Argument(help: ArgumentHelp("The transfer to cancel.", valueName: "id"))
        var id: String

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func run() async throws {
            let context = CommandContext.current
            try StateChange.apply(to: id, global: global, context: context) { record, now in
                try record.cancel(at: now)
            }
        }
    }
}
