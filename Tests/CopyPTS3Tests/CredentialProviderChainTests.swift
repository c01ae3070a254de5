import Testing
@testable import CopyPTS3

@Suite struct CredentialProviderChainTests {
    struct Failing: CredentialProvider {
        let error: CredentialError
        func credentials() async throws -> AWSCredentials { throw error }
    }

    static let keys = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")

    @Test("unreachable sources pass to the next; the first success wins")
    func passes() async throws {
        let chain = CredentialProviderChain([
            Failing(error: .unreachable(source: "a", detail: "x")), Failing(error: .noCredentials(profile: nil)),
            StaticCredentialProvider(Self.keys), Failing(error: .unreachable(source: "never", detail: "x")),
        ])
        #expect(try await chain.credentials() == Self.keys)
    }

    @Test("a configured source that fails stops the chain; nothing at all is noCredentials")
    func stops() async {
        let failing = CredentialError.processFailed(command: "t", status: 1)
        await #expect(throws: failing) {
            try await CredentialProviderChain([Failing(error: failing), StaticCredentialProvider(Self.keys)]).credentials()
        }
        await #expect(throws: CredentialError.noCredentials(profile: "p")) {
            try await CredentialProviderChain([], profile: "p").credentials()
        }
    }
}
