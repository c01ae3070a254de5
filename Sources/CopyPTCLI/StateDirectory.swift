import Foundation

/// Where the transfer records live.
public enum StateDirectory {
    /// The state directory, from the first of: `--state-dir`, `COPYPT_STATE_DIR`,
    /// `$XDG_STATE_HOME/copypt` (only when absolute, as the XDG spec requires),
    /// `$HOME/.local/state/copypt`. Empty variables count as unset.
    /// - Throws: `CLIError.noStateDirectory` when none applies.
    public static func resolve(option: URL?, environment: [String: String]) throws -> URL {
        if let option { return option }
        if let value = environment["COPYPT_STATE_DIR"], !value.isEmpty {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        if let value = environment["XDG_STATE_HOME"], value.hasPrefix("/") {
            return URL(fileURLWithPath: value, isDirectory: true).appendingPathComponent("copypt", isDirectory: true)
        }
        if let home = environment["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
                .appendingPathComponent(".local/state/copypt", isDirectory: true)
        }
        throw CLIError.noStateDirectory
    }
}
