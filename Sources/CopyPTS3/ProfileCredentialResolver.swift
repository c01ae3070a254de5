import CopyPTHTTP
import Foundation

/// Turns the environment and a profile into the credential provider the AWS CLI would use.
///
/// Settings are checked here, synchronously; the providers returned make network or
/// process calls only when asked for credentials.
struct ProfileCredentialResolver: Sendable {
    let shared: AWSSharedConfig
    let environment: [String: String]
    let region: String
    let stsEndpoint: String?
    let transport: any HTTPTransport
    let now: @Sendable () -> Date

    /// The whole chain: explicit profile or env keys, the profile, the container endpoint, IMDS.
    /// - Parameters:
    ///   - profile: the profile name in effect.
    ///   - explicit: `true` when it came from `--profile`; env keys are then skipped, as in the CLI.
    /// - Returns: the provider (cached where credentials expire) and a description of its source.
    func defaultChain(profile: String, explicit: Bool) throws -> (any CredentialProvider, String) {
        if !explicit, let keys = AWSCredentials.fromEnvironment(environment) {
            return (StaticCredentialProvider(keys), "environment (AWS_ACCESS_KEY_ID)")
        }
        if let (provider, source) = try provider(forProfile: profile, visited: []) {
            return (cached(provider), "profile \(profile): \(source)")
        }
        if let container = try ContainerCredentialProvider.fromEnvironment(environment, transport: transport) {
            return (cached(container), "container endpoint \(URLParts(container.url).hostHeader)")
        }
        let known = shared.profiles[profile] == nil ? nil : profile
        guard environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" else {
            // Settings still resolve; asking for credentials throws noCredentials.
            return (CredentialProviderChain([], profile: known), "none")
        }
        let imds = CredentialProviderChain([instanceMetadata()], profile: known)
        return (cached(imds), "EC2 instance metadata")
    }

    /// The provider a profile's own settings describe, or `nil` when it has no credential settings.
    /// - Parameter visited: profiles already on this `source_profile` path, to detect loops.
    func provider(forProfile name: String, visited: [String]) throws -> (any CredentialProvider, String)? {
        guard let profile = shared.profiles[name] else { return nil }
        if let roleARN = profile["role_arn"] {
            if visited.contains(name) {
                // A role profile whose source_profile chain returns to it may still end the
                // loop with its own static keys (botocore's self-reference rule).
                if let keys = try staticKeys(profile) { return (StaticCredentialProvider(keys), "static keys") }
                throw CredentialError.roleChainCycle(profiles: visited + [name])
            }
            let (source, sourceDescription) = try roleSource(profile, visited: visited)
            let configuration = AssumeRoleCredentialProvider.Configuration(
                roleARN: roleARN, roleSessionName: profile["role_session_name"], externalID: profile["external_id"],
                durationSeconds: try durationSeconds(profile), region: region, endpoint: stsEndpoint
            )
            let provider = AssumeRoleCredentialProvider(
                source: cached(source), configuration: configuration, transport: transport, now: now
            )
            return (provider, "assume role \(roleARN) with \(sourceDescription)")
        }
        if let keys = try staticKeys(profile) {
            return (StaticCredentialProvider(keys), "static keys")
        }
        if let command = profile["credential_process"] {
            let process = ProcessCredentialProvider(command: command, environment: environment)
            return (process, "credential_process \(process.displayName)")
        }
        return nil
    }

    // MARK: - Pieces

    /// The credentials that call AssumeRole: `source_profile` or `credential_source`.
    private func roleSource(_ profile: AWSProfile, visited: [String]) throws -> (any CredentialProvider, String) {
        let name = profile.name
        if let sourceName = profile["source_profile"] {
            guard profile["credential_source"] == nil else {
                throw CredentialError.invalidProfile(profile: name, reason: "it sets both source_profile and credential_source")
            }
            guard let sourceProfile = shared.profiles[sourceName] else {
                throw CredentialError.profileNotFound(
                    profile: sourceName, configFile: shared.configPath, credentialsFile: shared.credentialsPath
                )
            }
            if sourceName == name, let keys = try staticKeys(sourceProfile) {
                return (StaticCredentialProvider(keys), "static keys of profile \(name)")
            }
            guard let (source, description) = try provider(forProfile: sourceName, visited: visited + [name]) else {
                throw CredentialError.invalidProfile(
                    profile: name, reason: "its source_profile \(sourceName) has no credentials"
                )
            }
            return (source, "profile \(sourceName) (\(description))")
        }
        guard let credentialSource = profile["credential_source"] else {
            throw CredentialError.invalidProfile(profile: name, reason: "role_arn needs source_profile or credential_source")
        }
        switch credentialSource {
        case "Environment":
            guard let keys = AWSCredentials.fromEnvironment(environment) else {
                throw CredentialError.invalidProfile(
                    profile: name,
                    reason: "credential_source = Environment but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"
                )
            }
            return (StaticCredentialProvider(keys), "environment keys")
        case "EcsContainer":
            guard let container = try ContainerCredentialProvider.fromEnvironment(environment, transport: transport) else {
                throw CredentialError.invalidProfile(
                    profile: name, reason: "credential_source = EcsContainer but no AWS_CONTAINER_CREDENTIALS_* variable is set"
                )
            }
            return (container, "container endpoint")
        case "Ec2InstanceMetadata":
            return (instanceMetadata(), "EC2 instance metadata")
        default:
            throw CredentialError.invalidSetting(
                name: "credential_source", value: credentialSource, expected: "Environment, EcsContainer or Ec2InstanceMetadata"
            )
        }
    }

    /// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`), or `nil` when neither is set.
    private func staticKeys(_ profile: AWSProfile) throws -> AWSCredentials? {
        let id = profile["aws_access_key_id"]
        let secret = profile["aws_secret_access_key"]
        switch (id, secret) {
        case (nil, nil):
            return nil
        case let (id?, secret?):
            return AWSCredentials(
                accessKeyID: id, secretAccessKey: secret,
                sessionToken: profile["aws_session_token"] ?? profile["aws_security_token"]
            )
        case (_?, nil):
            throw CredentialError.invalidProfile(profile: profile.name, reason: "aws_access_key_id is set but aws_secret_access_key is not")
        case (nil, _?):
            throw CredentialError.invalidProfile(profile: profile.name, reason: "aws_secret_access_key is set but aws_access_key_id is not")
        }
    }

    /// `duration_seconds`, 900–43200 as STS allows.
    private func durationSeconds(_ profile: AWSProfile) throws -> Int? {
        guard let text = profile["duration_seconds"] else { return nil }
        guard let seconds = Int(text), (900...43_200).contains(seconds) else {
            throw CredentialError.invalidSetting(name: "duration_seconds", value: text, expected: "seconds from 900 to 43200")
        }
        return seconds
    }

    private func instanceMetadata() -> InstanceMetadataCredentialProvider {
        InstanceMetadataCredentialProvider(
            endpoint: environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://169.254.169.254",
            transport: transport
        )
    }

    /// Static keys as they are; anything that fetches wrapped in a refreshing cache.
    private func cached(_ provider: any CredentialProvider) -> any CredentialProvider {
        if provider is StaticCredentialProvider || provider is CachingCredentialProvider { return provider }
        return CachingCredentialProvider(wrapping: provider, now: now)
    }
}
