@testable import CopyPTGlobus
import CopyPTHTTP
import Foundation
import Testing

@Suite struct GlobusAuthorizationRequirementTests {
    static let collection = "1f2e3d4c-5b6a-4789-8abc-def012345678"
    static let other = "aa4e5f9c-05f3-11e8-a6ad-0a448319c2f8"

    static func error(_ fixture: String, status: Int = 403) throws -> GlobusError {
        GlobusTransferClient.serviceError(try Fixtures.response(fixture, status: status), operation: "submitting the Globus transfer")
    }

    @Test("Transfer's ConsentRequired (required_scopes at the top) names the collection and the `copypt login --collection` to run")
    func consentRequired() throws {
        let error = try Self.error("globus-error-consent-required")
        guard case .authorizationRequired(let operation, let status, let requirement) = error else {
            Issue.record("expected authorizationRequired, got \(error)")
            return
        }
        #expect(operation == "submitting the Globus transfer" && status == 403)
        #expect(requirement.code == "ConsentRequired" && requirement.requestID == "WmMV97A1w")
        #expect(requirement.collectionIDs == [Self.collection])
        #expect(!requirement.needsSession)
        #expect(requirement.loginCommand == "copypt login --collection \(Self.collection)")
        let line = error.description
        #expect(!line.contains("\n") && line.count < 400)
        #expect(line.contains("run `copypt login --collection \(Self.collection)`"))
        #expect(line.contains("COPYPT_GLOBUS_DATA_ACCESS=\(Self.collection)"))
        #expect(line.contains("request-id WmMV97A1w"))
        #expect(!error.isRetryable)
        #expect(error.needsLogin)
    }

    @Test("the Globus Auth Requirements Error shape (authorization_parameters.required_scopes) with two collections asks for both")
    func consentRequiredGARE() throws {
        let error = try Self.error("globus-error-consent-required-gare")
        guard case .authorizationRequired(_, _, let requirement) = error else {
            Issue.record("expected authorizationRequired, got \(error)")
            return
        }
        #expect(requirement.collectionIDs == [Self.collection, Self.other])
        #expect(error.description.contains("copypt login --collection \(Self.collection) --collection \(Self.other)"))
    }

    @Test("a session requirement (identity, domain, MFA) names `copypt login` with the matching options")
    func sessionRequired() throws {
        let error = try Self.error("globus-error-session-required")
        guard case .authorizationRequired(_, _, let requirement) = error else {
            Issue.record("expected authorizationRequired, got \(error)")
            return
        }
        #expect(requirement.needsSession && requirement.collectionIDs.isEmpty)
        #expect(requirement.loginCommand
            == "copypt login --session-identity 8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d --session-domain uchicago.edu --mfa")
        #expect(error.description.contains("multi-factor authentication"))
        #expect(error.description.contains("from domain uchicago.edu"))
    }

    @Test("a 403 without consent or session parameters stays an ordinary service error")
    func plainForbidden() throws {
        let error = try Self.error("globus-error-permission-denied")
        guard case .service(_, 403, "PermissionDenied", _, _) = error else {
            Issue.record("expected a service error, got \(error)")
            return
        }
        let noScopes = jsonResponse(["code": "ConsentRequired", "message": "m", "required_scopes": [String]()], status: 403)
        guard case .service = GlobusTransferClient.serviceError(noScopes, operation: "o") else {
            Issue.record("a ConsentRequired without scopes has nothing to ask for")
            return
        }
    }

    @Test("only UUIDs and plain domain names from Globus's answer reach the suggested command")
    func hostileValues() {
        let body = jsonResponse([
            "code": "ConsentRequired", "message": "m",
            "required_scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/$(rm -rf ~)/data_access]"],
            "authorization_parameters": ["session_required_single_domain": ["x`reboot`.edu"],
                                         "session_required_identities": ["not-a-uuid; rm"]],
        ], status: 403)
        guard case .authorizationRequired(_, _, let requirement) = GlobusTransferClient.serviceError(body, operation: "o") else {
            Issue.record("expected authorizationRequired")
            return
        }
        #expect(requirement.collectionIDs.isEmpty)
        #expect(requirement.loginCommand == "copypt login")
    }

    @Test("the data_access scope string is globus-sdk's: optional dependencies of the Transfer scope, one pair of brackets")
    func scopeStrings() {
        #expect(GlobusScopes.transfer(dataAccessFor: []) == "urn:globus:auth:scope:transfer.api.globus.org:all")
        #expect(GlobusScopes.transfer(dataAccessFor: [Self.collection.uppercased(), Self.other, Self.collection])
            == "urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/\(Self.collection)/data_access "
            + "*https://auth.globus.org/scopes/\(Self.other)/data_access]")
        #expect(GlobusScopes.login(dataAccessFor: []) == GlobusConfiguration.loginScope)
        #expect(GlobusScopes.dataAccessCollections(in: [GlobusScopes.transfer(dataAccessFor: [Self.other])]) == [Self.other])
        #expect(!GlobusScopes.isCollectionID("1f2e3d4c5b6a47898abcdef012345678"))
    }

    @Test("a login request carries the consents in its scope and the session requirements as authorize parameters")
    func loginRequest() {
        let plain = GlobusLoginRequest()
        #expect(plain.scope == GlobusConfiguration.loginScope && plain.sessionParameters.isEmpty)
        let request = GlobusLoginRequest(collections: [Self.collection], sessionIdentities: [Self.other], sessionDomains: ["a.edu", "b.edu"], mfa: true)
        #expect(request.scope.hasPrefix("openid profile email urn:globus:auth:scope:transfer.api.globus.org:all[*"))
        let parameters = request.sessionParameters.map { "\($0.0)=\($0.1)" }
        #expect(parameters == ["session_required_identities=\(Self.other)", "session_required_single_domain=a.edu,b.edu",
                               "session_required_mfa=true", "prompt=login"])
    }

    @Test("COPYPT_GLOBUS_DATA_ACCESS lists a service account's collections; anything but UUIDs is a configuration error")
    func serviceAccountCollections() throws {
        var environment = ["COPYPT_GLOBUS_CLIENT_ID": "svc", "COPYPT_GLOBUS_CLIENT_SECRET": "s", "HOME": "/tmp"]
        #expect(try GlobusConfiguration.fromEnvironment(environment).serviceAccountScope == GlobusConfiguration.transferScope)
        environment["COPYPT_GLOBUS_DATA_ACCESS"] = "\(Self.collection.uppercased()), \(Self.other)"
        let configuration = try GlobusConfiguration.fromEnvironment(environment)
        #expect(configuration.dataAccessCollections == [Self.collection, Self.other])
        #expect(configuration.serviceAccountScope == GlobusScopes.transfer(dataAccessFor: [Self.collection, Self.other]))
        environment["COPYPT_GLOBUS_DATA_ACCESS"] = "staging"
        #expect(throws: GlobusError.self) { try GlobusConfiguration.fromEnvironment(environment) }
    }
}
