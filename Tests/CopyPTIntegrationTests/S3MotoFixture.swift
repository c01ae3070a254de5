import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging

/// One moto_server for one test, with a real ``CurlTransport``, and the few calls copypt itself
/// never makes (create a bucket, put and get an object, create an IAM user), sent signed
/// through our SigV4 signer.
struct S3MotoFixture {
    let moto: MotoServer
    let transport: CurlTransport
    /// Any keys work while moto's authentication is off.
    static let anyCredentials = AWSCredentials(accessKeyID: "AKIDMOTOTESTING", secretAccessKey: "testing-secret")

    /// Starts moto with a lowered multipart minimum (`S3_UPLOAD_PART_MIN_SIZE`).
    init(partMinimumSize: Int = 256 << 10) async throws {
        moto = try await MotoServer.start(partMinimumSize: partMinimumSize)
        transport = try CurlTransport()
    }

    /// A client for this moto.
    func client(credentials: AWSCredentials = anyCredentials, maxAttempts: Int = 3) -> S3Client {
        S3Client(
            transport: transport,
            configuration: AWSConfiguration(
                region: "us-east-1", s3Endpoint: moto.endpoint, maxAttempts: maxAttempts,
                credentialProvider: StaticCredentialProvider(credentials)),
            retryPolicy: ExponentialRetryPolicy(base: .milliseconds(10), maxAttempts: maxAttempts),
            logger: Logger(label: "test"))
    }

    /// An engine for this moto whose part limits match the lowered minimum.
    func copier(concurrency: Int = 8, threshold: Int64 = 1 << 20, credentials: AWSCredentials = anyCredentials) -> S3Copier {
        S3Copier(
            client: client(credentials: credentials),
            configuration: S3CopierConfiguration(
                concurrency: concurrency, multipartThreshold: threshold,
                partLimits: MultipartLimits(minimumPartSize: Int64(moto.partMinimumSize))),
            logger: Logger(label: "test"))
    }

    // MARK: - Test-only S3 and IAM calls

    func createBucket(_ name: String) async throws {
        let response = try await send(.put, "/\(name)", service: "s3")
        try check(response, "CreateBucket \(name)")
    }

    func put(_ bucket: String, _ key: String, _ body: [UInt8], headers: [(String, String)] = []) async throws {
        let response = try await send(.put, "/\(bucket)/\(S3PathEncoding.encodeKey(key))", body: body, headers: headers, service: "s3")
        try check(response, "PutObject \(bucket)/\(key)")
    }

    /// The object's bytes, or `nil` when it does not exist.
    func get(_ bucket: String, _ key: String, credentials: AWSCredentials = anyCredentials) async throws -> [UInt8]? {
        let response = try await send(.get, "/\(bucket)/\(S3PathEncoding.encodeKey(key))", service: "s3", credentials: credentials)
        if response.status == 404 { return nil }
        try check(response, "GetObject \(bucket)/\(key)")
        return response.body
    }

    /// Tags of an object as `key=value` strings, sorted.
    func tags(_ bucket: String, _ key: String) async throws -> [String] {
        let tags = try await client().getObjectTagging(S3Location(bucket: bucket, key: key))
        return tags.map { "\($0.key)=\($0.value)" }.sorted()
    }

    /// Creates an IAM user allowed `s3:*` and returns its new access key (call before
    /// ``MotoServer/enableAuthentication(transport:)``).
    func createIAMUser(_ name: String) async throws -> AWSCredentials {
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        try check(try await iam(["Action": "CreateUser", "UserName": name]), "CreateUser")
        try check(try await iam(["Action": "PutUserPolicy", "UserName": name, "PolicyName": "s3-all", "PolicyDocument": policy]), "PutUserPolicy")
        let response = try await iam(["Action": "CreateAccessKey", "UserName": name])
        try check(response, "CreateAccessKey")
        let text = response.bodyText
        guard let id = Self.element("AccessKeyId", in: text), let secret = Self.element("SecretAccessKey", in: text) else {
            throw FixtureError(description: "CreateAccessKey gave no keys: \(text)")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret)
    }

    // MARK: - Plumbing

    struct FixtureError: Error, CustomStringConvertible { let description: String }

    private func iam(_ parameters: [String: String]) async throws -> HTTPResponse {
        var all = parameters
        all["Version"] = "2010-05-08"
        let form = all.keys.sorted().map { "\($0)=\(S3PathEncoding.encodeQueryComponent(all[$0] ?? ""))" }.joined(separator: "&")
        return try await send(.post, "/", body: Array(form.utf8), headers: [("Content-Type", "application/x-www-form-urlencoded")], service: "iam")
    }

    private func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8] = [], headers: [(String, String)] = [], service: String,
        credentials: AWSCredentials = anyCredentials
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: moto.endpoint + path, headers: HTTPHeaders(headers), body: body)
        if !body.isEmpty && request.headers["content-type"] == nil {
            request.headers["Content-Type"] = "application/octet-stream"
        }
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
        return try await transport.send(signer.signed(request, payloadHash: SigV4Signer.unsignedPayload, at: Date()))
    }

    private func check(_ response: HTTPResponse, _ what: String) throws {
        guard response.isSuccess else { throw FixtureError(description: "\(what): \(response.status) \(response.bodyText)") }
    }

    private static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else {
            return nil
        }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    /// Distinct, deterministic bytes for a test object.
    static func bytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ $0 >> 8) }
    }
}
