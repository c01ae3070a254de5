import ArgumentParser
import Foundation
import Logging

extension CopyPTCommand {
    /// `copypt whoami`: the Globus identity and AWS principals copypt acts as.
    public struct Whoami: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "whoami",
            abstract: "Show who copypt acts as: its Globus identity or client and token expiry, and the AWS principal of each profile.",
            discussion: """
                Globus: checks that Globus Transfer accepts copypt's token now (refreshing it if \
                needed) and names the identity: the person who ran `copypt login` (recorded at \
                login), or the service account (COPYPT_GLOBUS_CLIENT_ID). AWS: STS \
                GetCallerIdentity for each profile: those given with --profile, else the default \
                (AWS_PROFILE or default) and every profile a transfer record names. An assumed role \
                shows its assumed-role ARN. Results on stdout (one line each, or one JSON object \
                with --json), problems on stderr. Meant for monitoring as well as for people.

                EXIT STATUS
                  0   everything answered
                  1   some other error (e.g. an unexpected answer)
                  2   a person must act: `copypt login` again, or fix credentials or settings
                  75  Globus or AWS unreachable (or busy); try again later
                """
        )

        @Option(name: .customLong("profile"),
                help: ArgumentHelp("An AWS profile to check (repeatable; default: the default profile and those the transfers use).", valueName: "name"))
        var profiles: [String] = []

        @Flag(name: .customLong("no-globus"), help: "Skip Globus (check AWS only).")
        var noGlobus = false

        @Flag(name: .customLong("no-aws"), help: "Skip AWS (check Globus only).")
        var noAWS = false

        @OptionGroup var global: GlobalOptions

        public init() {}

        public func validate() throws {
            if noGlobus && noAWS { throw ValidationError("--no-globus and --no-aws leave nothing to check; pass at most one of them.") }
        }

        public func run() async throws {
            let context = CommandContext.current
            var logger = global.makeLogger(context)
            // Retry notes would make monitoring noisy: warnings and up unless --verbose, as the sweep.
            logger.logLevel = global.verbose ? .debug : (global.quiet ? .error : .warning)
            let runner = WhoamiRunner(context: context, logger: logger)
            var profileNames: [String?] = []
            if !noAWS {
                profileNames = profiles.isEmpty ? try defaultProfiles(context) : profiles.map { Optional($0) }
            }
            let report = await runner.run(globus: !noGlobus, profiles: profileNames)
            WhoamiPrinter(json: global.json, context: context).print(report)
            let status = report.exitStatus
            if status != .success { throw ExitCode(status.rawValue) }
        }

        /// The default profile (`nil`: AWS_PROFILE, else `default`) and every other profile a
        /// readable record names, in name order.
        func defaultProfiles(_ context: CommandContext) throws -> [String?] {
            var named = Set<String>()
            if let store = try? global.store(context), let listing = try? store.loadAll() {
                for record in listing.records { if let profile = record.options.profile, !profile.isEmpty { named.insert(profile) } }
            }
            let current = context.environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            named.remove(current)
            return [nil] + named.sorted().map { Optional($0) }
        }
    }
}
