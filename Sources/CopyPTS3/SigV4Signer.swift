import CopyPTCrypto
import CopyPTHTTP
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (header-based authorization).
///
/// A pure value: credentials, region and service are stored; the request, the payload hash
/// and the date are parameters, so the same inputs always give the same signature.
/// Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html and, for
/// S3, https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
public struct SigV4Signer: Sendable {
    /// How the request path becomes the canonical URI.
    public enum CanonicalURIStyle: Sendable, Equatable {
        /// S3: the path exactly as sent (the client percent-encoded each key once);
        /// no normalisation, no second encoding, so `a//b/../c` and `%2F` survive.
        case verbatim
        /// Every other service (STS included): remove dot segments and empty segments
        /// (RFC 3986 §5.2.4, as botocore and aws-c-auth do), then percent-encode the
        /// result, which encodes any `%` already in the path a second time.
        case normalizedDoubleEncoded
    }

    /// The credentials that sign.
    public let credentials: AWSCredentials
    /// The signing region, e.g. `us-east-1`.
    public let region: String
    /// The signing service name, e.g. `s3` or `sts`.
    public let service: String
    /// How the path is canonicalised; `.verbatim` for `s3`, else `.normalizedDoubleEncoded`.
    public let canonicalURIStyle: CanonicalURIStyle

    /// The payload hash to pass for streamed or unhashed S3 bodies.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The algorithm name in the string to sign and the Authorization header.
    static let algorithm = "AWS4-HMAC-SHA256"

    /// Creates a signer; the path style follows the service (`s3` verbatim, others normalised).
    /// - Parameters:
    ///   - credentials: the signing credentials; a session token is signed as `x-amz-security-token`.
    ///   - region: the signing region.
    ///   - service: the signing service name.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.init(
            credentials: credentials, region: region, service: service,
            canonicalURIStyle: service == "s3" ? .verbatim : .normalizedDoubleEncoded
        )
    }

    /// Creates a signer with an explicit path style.
    /// - Parameters:
    ///   - credentials: the signing credentials.
    ///   - region: the signing region.
    ///   - service: the signing service name.
    ///   - canonicalURIStyle: how the path is canonicalised.
    public init(credentials: AWSCredentials, region: String, service: String, canonicalURIStyle: CanonicalURIStyle) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.canonicalURIStyle = canonicalURIStyle
    }

    /// Returns `request` signed at `date`.
    ///
    /// Adds `host` (if absent, from the URL), `x-amz-date`, `x-amz-security-token` (when the
    /// credentials have a session token), `x-amz-content-sha256` (for service `s3`) and
    /// `Authorization`. Every other header present is signed as well.
    /// - Parameters:
    ///   - request: the request as it will be sent; its URL must be percent-encoded already.
    ///   - payloadHash: lower-case hex SHA-256 of the body, ``emptyPayloadHash``, or ``unsignedPayload``.
    ///   - date: the signing time.
    /// - Returns: the request with the signing headers added.
    public func signed(_ request: HTTPRequest, payloadHash: String, at date: Date) -> HTTPRequest {
        sign(request, payloadHash: payloadHash, at: date).request
    }

    // MARK: - Stages

    /// Every intermediate value of one signing, for tests and debugging.
    struct Signing: Sendable {
        var request: HTTPRequest
        var canonicalRequestBytes: [UInt8]
        var signedHeaderBytes: [UInt8]
        var stringToSignBytes: [UInt8]
        var signatureBytes: [UInt8]
        var authorization: String

        var canonicalRequest: String { String(decoding: canonicalRequestBytes, as: UTF8.self) }
        var signedHeaders: String { String(decoding: signedHeaderBytes, as: UTF8.self) }
        var stringToSign: String { String(decoding: stringToSignBytes, as: UTF8.self) }
        var signature: String { String(decoding: signatureBytes, as: UTF8.self) }
    }

    /// Signs `request`, keeping every stage's result.
    func sign(_ request: HTTPRequest, payloadHash: String, at date: Date) -> Signing {
        var request = request
        let timestamp = SigV4Timestamp(date)
        let parts = URLParts(request.url)
        request.headers.reserveCapacity(request.headers.count + 5)
        if !request.headers.contains("host") {
            request.headers.add(name: "host", value: parts.hostHeader)
        }
        request.headers["X-Amz-Date"] = timestamp.dateTime
        if let token = credentials.sessionToken {
            request.headers["X-Amz-Security-Token"] = token
        }
        if service == "s3" {
            request.headers["X-Amz-Content-SHA256"] = payloadHash
        }
        request.headers.remove(name: "authorization")

        // Bytes from here to the Authorization value: each stage is hashed, not read.
        let (canonical, signedHeaders) = canonicalRequest(request, parts: parts, payloadHash: payloadHash)
        let scope = scope(day: timestamp.day)
        let toSign = stringToSign(canonicalRequest: canonical, dateTime: timestamp.dateTime, scope: scope)
        let signature = signature(stringToSign: toSign, signingKey: signingKey(day: timestamp.day))
        var authorization: [UInt8] = []
        authorization.reserveCapacity(80 + credentials.accessKeyID.utf8.count + scope.utf8.count + signedHeaders.count)
        authorization.append(contentsOf: Self.algorithm.utf8)
        authorization.append(contentsOf: " Credential=".utf8)
        authorization.append(contentsOf: credentials.accessKeyID.utf8)
        authorization.append(UInt8(ascii: "/"))
        authorization.append(contentsOf: scope.utf8)
        authorization.append(contentsOf: ", SignedHeaders=".utf8)
        authorization.append(contentsOf: signedHeaders)
        authorization.append(contentsOf: ", Signature=".utf8)
        authorization.append(contentsOf: signature)
        let header = String(decoding: authorization, as: UTF8.self)
        request.headers.add(name: "Authorization", value: header)
        return Signing(
            request: request, canonicalRequestBytes: canonical, signedHeaderBytes: signedHeaders,
            stringToSignBytes: toSign, signatureBytes: signature, authorization: header
        )
    }

    /// Stage 2: the credential scope, `yyyyMMdd/region/service/aws4_request`.
    func scope(day: String) -> String {
        var scope = day
        scope.reserveCapacity(day.utf8.count + region.utf8.count + service.utf8.count + 16)
        scope += "/"
        scope += region
        scope += "/"
        scope += service
        scope += "/aws4_request"
        return scope
    }

    /// Stage 2: the string to sign — algorithm, timestamp, scope, hex SHA-256 of the canonical request.
    func stringToSign(canonicalRequest: [UInt8], dateTime: String, scope: String) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(192)
        text.append(contentsOf: Self.algorithm.utf8)
        text.append(UInt8(ascii: "\n"))
        text.append(contentsOf: dateTime.utf8)
        text.append(UInt8(ascii: "\n"))
        text.append(contentsOf: scope.utf8)
        text.append(UInt8(ascii: "\n"))
        text.append(contentsOf: Digest.hexBytes(Digest.sha256(canonicalRequest)))
        return text
    }

    /// Stage 3: the signing key, HMAC chained over day, region, service and `aws4_request`.
    func signingKey(day: String) -> [UInt8] {
        // The key is the same for every request of a day, region and service; deriving it is
        // four HMACs, most of a small request's signing cost (scripts/bench P1): keep the last.
        let wanted = SigningKeyCache.Entry(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        if let key = SigningKeyCache.shared.key(for: wanted) { return key }
        let kDate = Digest.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), data: day)
        let kRegion = Digest.hmacSHA256(key: kDate, data: region)
        let kService = Digest.hmacSHA256(key: kRegion, data: service)
        let key = Digest.hmacSHA256(key: kService, data: "aws4_request")
        SigningKeyCache.shared.store(key, for: wanted)
        return key
    }

    /// Stage 4: the hex HMAC-SHA256 of the string to sign under the signing key, as ASCII bytes.
    func signature(stringToSign: [UInt8], signingKey: [UInt8]) -> [UInt8] {
        Digest.hexBytes(Digest.hmacSHA256(key: signingKey, data: stringToSign))
    }
}
