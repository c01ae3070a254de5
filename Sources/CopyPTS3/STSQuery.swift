import CopyPTHTTP

/// The STS Query API request copypt's two STS calls (AssumeRole, GetCallerIdentity) share: a
/// form POST to the endpoint, unsigned here, with the short time limit and the reply cap of a
/// credential source. See https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html.
enum STSQuery {
    /// The regional STS endpoint, e.g. `https://sts.eu-west-1.amazonaws.com`.
    static func regionalEndpoint(region: String) -> String {
        "https://sts.\(region).\(S3Addressing.dnsSuffix(region: region))"
    }

    /// The unsigned POST of `form` (already encoded) to `endpoint`; a bare host gets its `/`.
    static func request(endpoint: String, form: String) -> HTTPRequest {
        var url = endpoint
        if URLParts(url).path == "/" && !url.hasSuffix("/") { url += "/" }
        return HTTPRequest(
            method: .post, url: url,
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Array(form.utf8), timeout: S3Operation.shortRequestTimeout, maxResponseBytes: AWSCredentials.replyLimit
        )
    }
}
