import ArgumentParser
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt retry ID`.
    public struct Retry: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "retry",
            abstract: "Re-queue a failed or cancelled transfer for the next sweep.",
            discussion: """
                The transfer goes back to copying when its copy had begun (progress is kept and the \
                sweep resumes), else to waiting. Its last error and attempt count are cleared. Fix \
                what the error said first (`copypt status ID` shows it).

                EXIT STATUS: 0 re-queued, 2 unknown id or a transfer that is not failed or \
                cancelled, 75 another copypt process holds the transfer right now (try again).
                """
        )

        @Argument(help: ArgumentHelp("The transfer to retry.", valueName: "id"))
        var id: String

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func run() async throws {
            let context = CommandContext.current
            try StateChange.apply(to: id, global: global, context: context) { record, now in
                try record.retry(at: now)
                return true
            }
        }
    }
}
