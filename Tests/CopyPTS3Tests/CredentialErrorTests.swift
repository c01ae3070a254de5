import Testing
@testable import CopyPTS3

@Suite struct CredentialErrorTests {
    static let all: [CredentialError] = [
        .noCredentials(profile: nil),
        .noCredentials(profile: "dev"),
        .profileNotFound(profile: "dev", configFile: "/h/.aws/config", credentialsFile: "/h/.aws/credentials"),
        .invalidFile(path: "/h/.aws/config", line: 3, reason: "expected key = value"),
        .invalidProfile(profile: "dev", reason: "role_arn needs source_profile or credential_source"),
        .roleChainCycle(profiles: ["a", "b", "a"]),
        .invalidSetting(name: "AWS_MAX_ATTEMPTS", value: "0", expected: "a whole number of at least 1"),
        .assumeRoleFailed(roleARN: "arn:aws:iam::1:role/r", status: 403, code: "AccessDenied", message: "not authorized", requestID: "rid-1"),
        .invalidResponse(source: "credential_process tool", reason: "Version is 2, expected 1"),
        .unreachable(source: "EC2 instance metadata", detail: "timed out"),
        .processLaunchFailed(command: "tool", detail: "not found or not executable"),
        .processFailed(command: "tool", status: 2),
        .processTimedOut(command: "tool", limit: .seconds(60)),
        .processOutputTooLarge(command: "tool", limit: 65536),
        .untrustedContainerHost(host: "10.0.0.1"),
    ]

    @Test("every description is one line naming the cause", arguments: all)
    func oneLine(error: CredentialError) {
        #expect(!error.description.contains("\n"))
        #expect(error.description.count > 20)
        #expect(!error.description.hasPrefix("noCredentials"))
    }

    @Test("descriptions say what to do")
    func actionable() {
        #expect(CredentialError.noCredentials(profile: nil).description
            == "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add keys to ~/.aws/credentials")
        #expect(CredentialError.assumeRoleFailed(roleARN: "arn:r", status: 403, code: "AccessDenied", message: "m", requestID: "rid")
            .description == "STS AssumeRole for arn:r failed: 403 AccessDenied: m (request-id rid); check the role's trust policy and the source credentials")
        #expect(CredentialError.processFailed(command: "tool", status: 2).description
            == "credential_process tool exited with status 2 (its own messages, if any, are on stderr above); check the command in the profile")
    }
}
