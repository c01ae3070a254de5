import ArgumentParser
import CopyPTGlobus
import Foundation
import Logging

/// What `copypt login` and `copypt logout` share: the process environment, a logger on
/// stderr, and mapping a ``GlobusError`` to the exit statuses in `copypt --help`.
enum GlobusCommandSupport {
    /// A logger writing to stderr at `info` when verbose, else nothing.
    static func logger(verbose: Bool) -> Logger {
        var logger = Logger(label: "copypt.globus") { label -> any LogHandler in
            verbose ? StreamLogHandler.standardError(label: label) : SwiftLogNoOpLogHandler()
        }
        logger.logLevel = verbose ? Logger.Level.debug : Logger.Level.critical
        return logger
    }

    /// Writes one line to stderr.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints `object` with `schema_version` as one line of JSON on stdout, keys sorted.
    static func printJSON(_ object: [String: Any]) {
        var object = object
        object["schema_version"] = JSONOutput.schemaVersion
        FileHandle.standardOutput.write(Data((JSONOutput.line(object) + "\n").utf8))
    }

    /// Reports `error` on stderr and returns the exit status: 75 transient, 2 configuration
    /// or authentication, 1 anything else.
    static func exitCode(for error: any Error) -> ExitCode {
        printError("copypt: \(error)")
        guard let error = error as? GlobusError else { return ExitCode(1) }
        if error.isRetryable { return ExitCode(75) }
        switch error {
        case .configuration, .notLoggedIn, .loginRequired, .noRefreshToken, .clientAuthenticationFailed, .oauth,
             .authorizationRequired:
            return ExitCode(2)
        default:
            return ExitCode(1)
        }
    }
}
