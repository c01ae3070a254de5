import Foundation

extension GlobusTransferClient {
    /// Checks that Globus Transfer accepts copypt's token now (one `task_list` call for a single
    /// task id, refreshing the token first if it is stale or refused) and says who copypt acts as.
    /// - Throws: ``GlobusError/notLoggedIn(tokenFile:)``, ``GlobusError/loginRequired(operation:detail:)``,
    ///   ``GlobusError/clientAuthenticationFailed(clientID:detail:)`` (a person must act), or a
    ///   transient ``GlobusError`` (Globus unreachable or busy).
    public func whoami() async throws -> GlobusWhoami {
        _ = try await get("task_list", query: [("limit", "1"), ("fields", "task_id")], operation: "checking access to Globus Transfer")
        return await tokens.whoami()
    }

    /// ``whoami()`` after asking Globus Auth for new tokens (``GlobusTokenProvider/renewNow()``):
    /// `copypt auth check` proves the stored login can still be renewed, not only that the
    /// current access token works.
    public func checkLogin() async throws -> GlobusWhoami {
        try await tokens.renewNow()
        return try await whoami()
    }
}
