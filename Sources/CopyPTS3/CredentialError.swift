/// Why AWS credentials or settings could not be resolved.
///
/// Descriptions name the source, the profile or file and the cause, and say what to do;
/// they never contain a secret key, session token or authorization token.
public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No source offered credentials (no env keys, no profile keys, no container, no instance role).
    case noCredentials(profile: String?)
    /// A profile named explicitly (`--profile`, `AWS_PROFILE`, `source_profile`) is in neither file.
    case profileNotFound(profile: String, configFile: String, credentialsFile: String)
    /// A config or credentials file could not be parsed.
    case invalidFile(path: String, line: Int, reason: String)
    /// A profile's credential settings are incomplete or contradictory.
    case invalidProfile(profile: String, reason: String)
    /// `source_profile` links form a loop without static keys to end it.
    case roleChainCycle(profiles: [String])
    /// A setting has a value that cannot be used.
    case invalidSetting(name: String, value: String, expected: String)
    /// STS AssumeRole answered with an error.
    case assumeRoleFailed(roleARN: String, status: Int, code: String, message: String, requestID: String?)
    /// A credential source answered with something that is not credentials.
    case invalidResponse(source: String, reason: String)
    /// A credential source could not be reached.
    case unreachable(source: String, detail: String)
    /// `credential_process` could not be started.
    case processLaunchFailed(command: String, detail: String)
    /// `credential_process` exited with a non-zero status (128 + N for signal N). What it said
    /// on stderr went to copypt's stderr, never into this error: it may hold secrets.
    case processFailed(command: String, status: Int32)
    /// `credential_process` outran its time limit; it and every process it started were ended.
    case processTimedOut(command: String, limit: Duration)
    /// `credential_process` printed more than `limit` bytes on stdout.
    case processOutputTooLarge(command: String, limit: Int)
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` points at a host that is not allowed over plain HTTP.
    case untrustedContainerHost(host: String)

    /// A one-line message: operation, identifiers, cause and what to do. Never a secret.
    public var description: String {
        switch self {
        case .noCredentials(let profile):
            let named = profile.map { " (profile \($0) has no credentials)" } ?? ""
            return "no AWS credentials found\(named): set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                + "or add keys to ~/.aws/credentials"
        case .profileNotFound(let profile, let configFile, let credentialsFile):
            return "AWS profile \(profile) not found in \(configFile) or \(credentialsFile): "
                + "check --profile/AWS_PROFILE or add a [profile \(profile)] section"
        case .invalidFile(let path, let line, let reason):
            return "cannot parse AWS file \(path) line \(line): \(reason); fix the file or point AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE elsewhere"
        case .invalidProfile(let profile, let reason):
            return "AWS profile \(profile) is not usable: \(reason); fix its settings in ~/.aws/config or ~/.aws/credentials"
        case .roleChainCycle(let profiles):
            return "AWS profiles form a source_profile loop (\(profiles.joined(separator: " -> "))): "
                + "give one of them static keys or break the loop"
        case .invalidSetting(let name, let value, let expected):
            return "invalid AWS setting \(name)=\(value): expected \(expected)"
        case .assumeRoleFailed(let roleARN, let status, let code, let message, let requestID):
            let id = requestID.map { " (request-id \($0))" } ?? ""
            return "STS AssumeRole for \(roleARN) failed: \(status) \(code): \(message)\(id); "
                + "check the role's trust policy and the source credentials"
        case .invalidResponse(let source, let reason):
            return "credentials from \(source) are unusable: \(reason)"
        case .unreachable(let source, let detail):
            return "cannot fetch credentials from \(source): \(detail)"
        case .processLaunchFailed(let command, let detail):
            return "cannot run credential_process \(command): \(detail); check the command in the profile"
        case .processFailed(let command, let status):
            return "credential_process \(command) exited with status \(status) (its own messages, if any, are on stderr above); "
                + "check the command in the profile"
        case .processTimedOut(let command, let limit):
            return "credential_process \(command) did not finish within \(limit) and was stopped with every process it started; "
                + "check that it does not wait for input"
        case .processOutputTooLarge(let command, let limit):
            return "credential_process \(command) printed more than \(limit) bytes, more than any credentials; check the command"
        case .untrustedContainerHost(let host):
            return "AWS_CONTAINER_CREDENTIALS_FULL_URI host \(host) is not allowed over http: "
                + "use https, a loopback address, localhost, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
        }
    }
}
