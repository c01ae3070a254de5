import CopyPTHTTP
import Foundation

/// `COPYPT_HTTP_TIMEOUT`: the longest any one HTTP request may take, start to end, as a
/// duration (`90`, `90s`, `15m`). Unset, each transport keeps its default (30 min), which also
/// caps the shorter limits the clients set per request (S3 5 min but copies, Globus 60 s).
enum HTTPTimeoutSetting {
    /// The variable's name.
    static let variable = "COPYPT_HTTP_TIMEOUT"

    /// The limit `environment` sets, or `nil` when it sets none.
    /// - Throws: ``HTTPTimeoutSettingError`` for a value that is not a positive duration.
    static func limit(_ environment: [String: String]) throws -> Duration? {
        guard let text = environment[variable], !text.isEmpty else { return nil }
        guard let parsed = DurationArgument(argument: text.trimmingCharacters(in: .whitespaces)), parsed.duration > .zero else {
            throw HTTPTimeoutSettingError(value: text)
        }
        return parsed.duration
    }

    /// `configuration` with the limit from `environment`, when it sets one.
    static func applied(_ environment: [String: String], to configuration: CurlTransport.Configuration) throws -> CurlTransport.Configuration {
        var configuration = configuration
        if let limit = try limit(environment) { configuration.requestTimeout = limit }
        return configuration
    }
}

/// `COPYPT_HTTP_TIMEOUT` holds something other than a positive duration.
struct HTTPTimeoutSettingError: Error, Equatable, CustomStringConvertible {
    let value: String

    var description: String {
        "\(HTTPTimeoutSetting.variable)=\(value) is not a duration: write seconds or e.g. 90s, 15m, or unset it for the default 30m"
    }
}
