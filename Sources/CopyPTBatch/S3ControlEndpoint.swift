/// Where S3 Control requests go.
///
/// AWS's endpoint rules put the account id in the host,
/// `https://<account>.s3-control.<region>.amazonaws.com`; a custom endpoint
/// (`AWS_ENDPOINT_URL_S3_CONTROL`, or `endpoint_url` in the profile's `s3control` services
/// section) is used exactly as given, without that prefix, as copypt does for custom S3 endpoints.
public enum S3ControlEndpoint {
    /// The base URL (no trailing `/`) for `accountID` in `region`.
    /// - Parameters:
    ///   - accountID: the 12-digit account the job runs in.
    ///   - region: the region the job runs in.
    ///   - custom: a configured endpoint, or `nil` for AWS.
    public static func baseURL(accountID: String, region: String, custom: String?) -> String {
        if let custom {
            var url = custom
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://\(accountID).s3-control.\(region).\(suffix)"
    }
}
