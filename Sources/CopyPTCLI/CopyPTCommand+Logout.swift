import ArgumentParser
import CopyPTGlobus
import CopyPTHTTP
import Foundation

extension CopyPTCommand {
    /// `copypt logout`: revoke the stored Globus tokens and delete the token file.
    public struct Logout: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "logout",
            abstract: "Revoke copypt's Globus tokens and delete the token file.",
            discussion: """
                Revokes the refresh and access tokens at Globus, then deletes the token file. If Globus \
                cannot be reached the file is kept, so running logout again finishes the job.
                """
        )

        @Option(name: .customLong("token-file"), help: "The token file to revoke and delete.", transform: URL.init(fileURLWithPath:))
        var tokenFile: URL?

        @OptionGroup var output: OutputOptions

        public init() {}

        public func run() async throws {
            do {
                let configuration = try GlobusConfiguration.fromEnvironment(ProcessInfo.processInfo.environment, tokenFile: tokenFile)
                let logout = GlobusLogout(
                    configuration: configuration, transport: try CurlTransport(),
                    logger: GlobusCommandSupport.logger(verbose: output.verbose))
                let outcome = try await logout.run()
                switch outcome {
                case .loggedOut(let file) where output.json:
                    GlobusCommandSupport.printJSON(["logged_out": true, "token_file": file.path])
                case .notLoggedIn(let file) where output.json:
                    GlobusCommandSupport.printJSON(["logged_out": false, "token_file": file.path])
                case _ where output.quiet:
                    break
                case .loggedOut(let file):
                    print("Logged out of Globus: tokens revoked and \(file.path) deleted")
                case .notLoggedIn(let file):
                    print("Not logged in to Globus (no token file at \(file.path))")
                }
            } catch {
                throw GlobusCommandSupport.exitCode(for: error)
            }
        }
    }
}
