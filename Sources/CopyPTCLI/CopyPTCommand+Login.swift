import ArgumentParser
import CopyPTGlobus
import CopyPTHTTP
import Foundation

extension CopyPTCommand {
    /// `copypt login`: Globus native-app login with PKCE; stores a refresh token.
    public struct Login: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "login",
            abstract: "Log in to Globus so copypt can read your transfer tasks.",
            discussion: """
                Prints a Globus login URL; open it, log in, and paste the code Globus shows. The \
                tokens (Transfer scope, offline access) are saved to --token-file, else \
                $XDG_CONFIG_HOME/copypt/globus-tokens.json, else ~/.config/copypt/globus-tokens.json, \
                mode 0600. Register your site's native app at \
                https://app.globus.org/settings/developers; copypt has no built-in client id. \
                Service accounts need no login: set COPYPT_GLOBUS_CLIENT_ID and COPYPT_GLOBUS_CLIENT_SECRET.

                A Globus Connect Server v5 collection needs your consent before Globus moves \
                its data (Globus answers ConsentRequired): --collection UUID (repeatable) asks \
                for the Transfer scope with each collection's data_access scope, \
                urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/UUID/data_access]. \
                A service account lists them in COPYPT_GLOBUS_DATA_ACCESS instead. When Globus \
                asks for a new session, --session-identity, --session-domain and --mfa pass its \
                requirements to the login page.
                """
        )

        @Option(name: .customLong("client-id"), help: "The Globus native-app client id (default: $COPYPT_GLOBUS_CLIENT_ID).")
        var clientID: String?

        @Option(name: .customLong("token-file"), help: "Where to save the tokens.", transform: URL.init(fileURLWithPath:))
        var tokenFile: URL?

        @Flag(name: .customLong("no-browser"), help: "Only print the URL; do not try to open a browser.")
        var noBrowser = false

        @Option(name: .customLong("collection"), help: "Also consent to this collection's data_access (its UUID); repeatable.")
        var collections: [String] = []

        @Option(name: .customLong("session-identity"), help: "Log in with this Globus identity (its UUID) in the session; repeatable.")
        var sessionIdentities: [String] = []

        @Option(name: .customLong("session-domain"), help: "Log in with an identity from this domain; repeatable.")
        var sessionDomains: [String] = []

        @Flag(name: .customLong("mfa"), help: "Log in with multi-factor authentication.")
        var mfa = false

        @OptionGroup var output: OutputOptions

        public init() {}

        public func validate() throws {
            if let bad = collections.first(where: { !GlobusScopes.isCollectionID($0) }) {
                throw ValidationError("--collection \(bad) is not a collection id; pass the collection's UUID, e.g. as Globus names it in ConsentRequired.")
            }
            if let bad = sessionIdentities.first(where: { !GlobusScopes.isCollectionID($0) }) {
                throw ValidationError("--session-identity \(bad) is not an identity id; pass the identity's UUID.")
            }
            if let bad = sessionDomains.first(where: { !GlobusLoginRequest.isDomain($0) }) {
                throw ValidationError("--session-domain \(bad) is not a domain name such as example.edu.")
            }
        }

        /// The consents and session requirements the options ask for.
        var request: GlobusLoginRequest {
            GlobusLoginRequest(
                collections: collections.map { $0.lowercased() }, sessionIdentities: sessionIdentities.map { $0.lowercased() },
                sessionDomains: sessionDomains, mfa: mfa)
        }

        public func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            do {
                let configuration = try GlobusConfiguration.fromEnvironment(environment, clientID: clientID, tokenFile: tokenFile)
                guard let clientID = configuration.clientID else {
                    throw GlobusError.configuration(
                        "copypt login needs a Globus client id: pass --client-id or set COPYPT_GLOBUS_CLIENT_ID "
                            + "(register a native app at https://app.globus.org/settings/developers)")
                }
                let login = GlobusLogin(
                    configuration: configuration, transport: try CurlTransport(),
                    logger: GlobusCommandSupport.logger(verbose: output.verbose))
                let openBrowser = !noBrowser
                let saved = try await login.run(clientID: clientID, request: request) { url in
                    GlobusCommandSupport.printError("Open this URL in a browser, log in to Globus, then paste the code it shows:")
                    // Unbuffered: on a pipe `print` would hold the URL back while we wait for the code.
                    FileHandle.standardOutput.write(Data((url + "\n").utf8))
                    if openBrowser { Self.tryOpen(url, environment: environment) }
                    FileHandle.standardError.write(Data("Code: ".utf8))
                    return readLine(strippingNewline: true)
                }
                if output.json {
                    GlobusCommandSupport.printJSON([
                        "logged_in": true, "client_id": clientID, "token_file": saved.path,
                        "collections": request.collections,
                    ] as [String: Any])
                } else if !output.quiet {
                    let consents = request.collections.isEmpty
                        ? "" : " (data_access for \(request.collections.joined(separator: ", ")))"
                    print("Logged in to Globus with client \(clientID)\(consents); tokens saved to \(saved.path)")
                }
            } catch {
                throw GlobusCommandSupport.exitCode(for: error)
            }
        }

        /// Best effort: `xdg-open` (or `open` on macOS) when a desktop session is visible.
        static func tryOpen(_ url: String, environment: [String: String]) {
            #if os(macOS)
            let opener = "/usr/bin/open"
            #else
            guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return }
            let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/xdg-open" }
            guard let opener = path.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
            #endif
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
        }
    }
}
