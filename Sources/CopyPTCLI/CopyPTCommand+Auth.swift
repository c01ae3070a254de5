import ArgumentParser
import CopyPTGlobus
import CopyPTRecords
import Foundation

extension CopyPTCommand {
    /// `copypt auth`: the health of copypt's Globus login.
    public struct Auth: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "auth",
            abstract: "Check copypt's Globus login.",
            subcommands: [Check.self]
        )

        public init() {}
    }
}

extension CopyPTCommand.Auth {
    /// `copypt auth check`: are the Globus tokens usable, for monitoring and before a long wait.
    public struct Check: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check that copypt's Globus login works now, renewing it.",
            discussion: """
                Asks Globus Auth for new tokens (with the stored refresh token of `copypt login`, \
                or the service account's client secret) and checks that Globus Transfer accepts \
                them. Renewing also restarts Globus's clock on a refresh token that has not been \
                used for long. With --no-renew the current tokens are used as a sweep would (renewed \
                only when stale) and a login last renewed more than --warn-refresh-age ago is \
                warned about. Nothing about any transfer is read or changed.

                EXIT STATUS
                  0   the tokens are usable
                  2   a person must act: `copypt login` again (refresh token revoked, expired or \
                refused, consent required), or fix COPYPT_GLOBUS_CLIENT_ID / _SECRET
                  75  Globus unreachable or busy; try again later
                  1   some other error
                """
        )

        @Flag(name: .customLong("no-renew"), help: "Use the current tokens; renew them only when they are stale, as a sweep does.")
        var noRenew = false

        @Option(
            name: .customLong("warn-refresh-age"),
            help: ArgumentHelp(
                "Warn when the login was last renewed longer ago than this (e.g. 30d; 0 turns the warning off).",
                valueName: "duration"))
        var warnRefreshAge = DurationArgument(.seconds(30 * 86_400))

        @OptionGroup var output: OutputOptions

        public init() {}

        public func run() async throws {
            let context = CommandContext.current
            var logger = output.makeLogger(context)
            logger.logLevel = output.verbose ? .debug : .error
            let before = LoginRenewal.current(environment: context.environment)
            let outcome = await AuthCheckRunner(context: context, logger: logger).run(renew: !noRenew)
            var warning: String?
            if case .ok = outcome, noRenew {
                warning = LoginRenewal.current(environment: context.environment)?.warning(at: context.now(), limit: warnRefreshAge.duration)
            }
            AuthCheckPrinter(json: output.json, quiet: output.quiet, context: context)
                .print(outcome, renewedBefore: before, warning: warning)
            let status = outcome.exitStatus
            if status != .success { throw ExitCode(status.rawValue) }
        }
    }
}
