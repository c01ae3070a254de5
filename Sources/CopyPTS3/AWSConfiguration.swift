import CopyPTHTTP
import Foundation

/// Everything copypt needs from the AWS environment and shared files, resolved once as the
/// AWS CLI would: region, endpoints, retry attempts, CA bundle, addressing and credentials.
///
/// Build it with ``resolve(environment:profile:transport:now:)``; the CLI passes its process
/// environment and `--profile`. Nothing here reads `ProcessInfo`.
public struct AWSConfiguration: Sendable {
    /// The region for requests and signing: `AWS_REGION`, `AWS_DEFAULT_REGION`, profile `region`, else `us-east-1`.
    public var region: String
    /// A custom S3 endpoint URL, or `nil` for AWS.
    public var s3Endpoint: String?
    /// A custom STS endpoint URL, or `nil` for `https://sts.<region>.amazonaws.com`.
    public var stsEndpoint: String?
    /// A custom S3 Control endpoint URL (`AWS_ENDPOINT_URL_S3_CONTROL`, a `s3control` or
    /// `s3_control` services section), used as given; `nil` for AWS's `<account>.s3-control.<region>`.
    public var s3ControlEndpoint: String?
    /// Attempts per request, first included: `AWS_MAX_ATTEMPTS`, profile `max_attempts`, else 3.
    public var maxAttempts: Int
    /// A PEM CA bundle path: `AWS_CA_BUNDLE`, profile `ca_bundle`, else `nil` (system CAs).
    public var caBundle: String?
    /// The profile in effect (`--profile`, `AWS_PROFILE`, else `default`); `nil` when it exists in no file.
    public var profile: String?
    /// The S3 addressing style: `AWS_S3_ADDRESSING_STYLE`, profile `s3 = addressing_style`, else `.auto`.
    public var addressingStyle: S3Addressing.Style
    /// Where credentials come from, for logs, e.g. `environment` or `profile dev: assume role … via profile base`.
    public var credentialSource: String
    /// The credentials, cached and refreshed before expiry.
    public var credentialProvider: any CredentialProvider

    /// Creates a configuration directly (tests, or callers with their own resolution).
    /// - Parameters: each property, with the defaults stated on it.
    public init(
        region: String = "us-east-1", s3Endpoint: String? = nil, stsEndpoint: String? = nil,
        maxAttempts: Int = 3, caBundle: String? = nil, profile: String? = nil,
        addressingStyle: S3Addressing.Style = .auto, credentialSource: String = "static",
        credentialProvider: any CredentialProvider, s3ControlEndpoint: String? = nil
    ) {
        self.s3ControlEndpoint = s3ControlEndpoint
        self.region = region
        self.s3Endpoint = s3Endpoint
        self.stsEndpoint = stsEndpoint
        self.maxAttempts = maxAttempts
        self.caBundle = caBundle
        self.profile = profile
        self.addressingStyle = addressingStyle
        self.credentialSource = credentialSource
        self.credentialProvider = credentialProvider
    }

    /// S3 addressing for buckets in ``region`` (use ``S3Addressing/with(region:)`` for others).
    public var addressing: S3Addressing {
        S3Addressing(region: region, endpoint: s3Endpoint, style: addressingStyle)
    }

    /// Resolves the configuration from the environment and the shared files.
    ///
    /// Credentials, in order: `--profile` (when given it wins over env keys, as in the CLI);
    /// env keys; the profile (`AWS_PROFILE` or `default`): `role_arn` via STS AssumeRole, static
    /// keys, `credential_process`; the container endpoint; EC2 instance metadata (unless
    /// `AWS_EC2_METADATA_DISABLED=true`). Only network and process calls are deferred to the
    /// first ``CredentialProvider/credentials()`` call; every setting error throws here.
    /// - Parameters:
    ///   - environment: the process environment (`HOME`, `AWS_*`).
    ///   - profile: the `--profile` value, or `nil`.
    ///   - transport: the HTTP seam for STS, the container endpoint and IMDS.
    ///   - now: the clock, default the system clock.
    /// - Throws: ``CredentialError`` for unreadable files, unknown profiles or bad settings.
    public static func resolve(
        environment: [String: String], profile: String? = nil,
        transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> AWSConfiguration {
        let shared = try AWSSharedConfig.load(environment: environment)
        return try resolve(environment: environment, profile: profile, shared: shared, transport: transport, now: now)
    }

    /// Resolves from already-parsed shared files (see ``resolve(environment:profile:transport:now:)``).
    public static func resolve(
        environment: [String: String], profile explicitProfile: String?, shared: AWSSharedConfig,
        transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> AWSConfiguration {
        let env = environment.filter { !$0.value.isEmpty }
        let named = explicitProfile.flatMap { $0.isEmpty ? nil : $0 } ?? env["AWS_PROFILE"]
        let profileName = named ?? "default"
        if let named, shared.profiles[named] == nil {
            throw CredentialError.profileNotFound(
                profile: named, configFile: shared.configPath, credentialsFile: shared.credentialsPath
            )
        }
        let settings = shared.profiles[profileName] ?? AWSProfile(name: profileName)

        let region = env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? settings["region"] ?? "us-east-1"
        let endpoints = try Self.endpoints(env: env, profile: settings, shared: shared)
        let maxAttempts = try Self.maxAttempts(env: env, profile: settings)
        let style = try Self.addressingStyle(env: env, profile: settings)
        let resolver = ProfileCredentialResolver(
            shared: shared, environment: environment, region: region, stsEndpoint: endpoints.sts,
            transport: transport, now: now
        )
        let (provider, source) = try resolver.defaultChain(profile: profileName, explicit: explicitProfile != nil)
        return AWSConfiguration(
            region: region, s3Endpoint: endpoints.s3, stsEndpoint: endpoints.sts, maxAttempts: maxAttempts,
            caBundle: env["AWS_CA_BUNDLE"] ?? settings["ca_bundle"],
            profile: shared.profiles[profileName] == nil ? nil : profileName,
            addressingStyle: style, credentialSource: source, credentialProvider: provider,
            s3ControlEndpoint: endpoints.s3Control
        )
    }

    // MARK: - Settings

    /// Endpoint URLs, per botocore's order: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`,
    /// the profile's `services` section, the profile's `endpoint_url`; all ignored when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` / `ignore_configured_endpoint_urls` is true.
    ///
    /// Each is checked here, once, so that every request's URL is split as libcurl reads it.
    /// - Throws: ``CredentialError/invalidSetting(name:value:expected:)`` naming the setting.
    static func endpoints(env: [String: String], profile: AWSProfile, shared: AWSSharedConfig) throws -> (s3: String?, sts: String?, s3Control: String?) {
        let ignore = env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] ?? profile["ignore_configured_endpoint_urls"]
        if ignore?.lowercased() == "true" { return (nil, nil, nil) }
        let servicesName = profile["services"]
        let services = servicesName.flatMap { shared.services[$0] } ?? [:]
        func endpoint(_ service: String, alias: String? = nil) throws -> String? {
            let variable = "AWS_ENDPOINT_URL_\(service.uppercased())"
            let named = services[service] ?? alias.flatMap { services[$0] }
            let section: (String, String)? = named?["endpoint_url"].flatMap {
                $0.isEmpty ? nil : ("[services \(servicesName ?? "")] \(service).endpoint_url", $0)
            }
            let setting = env[variable].map { (variable, $0) } ?? env["AWS_ENDPOINT_URL"].map { ("AWS_ENDPOINT_URL", $0) }
                ?? section ?? profile["endpoint_url"].map { ("endpoint_url", $0) }
            guard case let (name, value)? = setting else { return nil }
            _ = try CurlURL.setting(value, variable: name, isEndpoint: true)
            return value
        }
        return (try endpoint("s3"), try endpoint("sts"), try endpoint("s3_control", alias: "s3control"))
    }

    static func maxAttempts(env: [String: String], profile: AWSProfile) throws -> Int {
        let (name, value) = env["AWS_MAX_ATTEMPTS"].map { ("AWS_MAX_ATTEMPTS", $0) }
            ?? profile["max_attempts"].map { ("max_attempts", $0) } ?? ("", "3")
        guard let attempts = Int(value.trimmingCharacters(in: .whitespaces)), attempts >= 1 else {
            throw CredentialError.invalidSetting(name: name, value: value, expected: "a whole number of at least 1")
        }
        return attempts
    }

    static func addressingStyle(env: [String: String], profile: AWSProfile) throws -> S3Addressing.Style {
        let (name, value) = env["AWS_S3_ADDRESSING_STYLE"].map { ("AWS_S3_ADDRESSING_STYLE", $0) }
            ?? profile.subsections["s3"]?["addressing_style"].map { ("s3.addressing_style", $0) } ?? ("", "auto")
        guard let style = S3Addressing.Style(rawValue: value.lowercased()) else {
            throw CredentialError.invalidSetting(name: name, value: value, expected: "auto, path or virtual")
        }
        return style
    }
}
