import CopyPTHTTP
import CopyPTTestSupport
import Foundation

/// Two accounts on the policy-enforcing S3 stand-in (scripts/policy-s3) and the Globus
/// emulator: copypt's principal in 111111111111, which owns the staging bucket, and a
/// destination bucket owned by 222222222222, eu-west-1, with whatever bucket policy, Object
/// Ownership and KMS keys a test sets. copypt's own identity policy allows S3 and KMS broadly
/// (the usual case in one's own account); the destination account's side is what is tested.
final class DoctorStandInFixture: @unchecked Sendable {
    let s3: PolicyS3Server
    let globus: GlobusEmulator
    let directory: URL
    let identity: String
    static let principal = "arn:aws:iam::111111111111:user/copypt"
    static let accessKey = "AKIACOPYPTDOCTOR0001"
    static let secret = "doctor-secret-not-real"
    static let destinationOwner = "222222222222"
    static let key = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    static let clientID = "doctor-client"
    static let clientSecret = "doctor-client-secret"

    init() async throws {
        directory = try TemporaryDirectory.make("copypt-doctor")
        s3 = try await PolicyS3Server.start()
        globus = try await GlobusEmulator.start()
        identity = try await globus.registerClient(Self.clientID, secret: Self.clientSecret)
    }

    deinit {
        globus.stop()
        let s3 = s3
        Task { await s3.shutdown() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Replaces the stand-in's configuration: the destination's bucket policy, Object Ownership
    /// and KMS keys (key ARN → key policy).
    /// `identityPolicy` replaces the broad default of copypt's own account.
    func configure(destinationPolicy: Any? = nil, ownership: String? = nil, keys: [String: Any] = [:], identityPolicy: Any? = nil) async throws {
        var destination: [String: Any] = ["owner": Self.destinationOwner, "region": "eu-west-1"]
        if let destinationPolicy { destination["policy"] = destinationPolicy }
        if let ownership { destination["object_ownership"] = ownership }
        try await s3.configure([
            "principals": [Self.accessKey: ["secret": Self.secret, "arn": Self.principal]],
            "buckets": ["stg": ["owner": "111111111111", "region": "eu-west-1"], "dst": destination],
            "identity_policies": [Self.principal: [identityPolicy ?? [
                "Version": "2012-10-17",
                "Statement": [["Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"]],
            ]]],
            "kms_keys": keys.mapValues { ["policy": $0] },
        ])
    }

    /// Puts an object straight into moto (behind the stand-in, no policy in the way).
    func put(_ bucket: String, _ key: String, _ text: String, headers: HTTPHeaders = [:]) async throws {
        let response = try await s3.transport.send(HTTPRequest(
            method: .put, url: "\(s3.moto.endpoint)/\(bucket)/\(key)", headers: headers, body: Array(text.utf8)))
        guard response.isSuccess else { throw EndToEndError(description: "put \(key): \(response.status)") }
    }

    /// The keys under `prefix` in moto.
    func keys(_ bucket: String, prefix: String) async throws -> [String] {
        let response = try await s3.transport.send(HTTPRequest(method: .get, url: "\(s3.moto.endpoint)/\(bucket)?list-type=2&prefix=\(prefix)"))
        let text = response.bodyText
        return text.components(separatedBy: "<Key>").dropFirst().compactMap { $0.components(separatedBy: "</Key>").first }
    }

    var environment: [String: String?] {
        var env: [String: String?] = [
            "COPYPT_STATE_DIR": directory.appendingPathComponent("state").path, "HOME": directory.path,
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path, "XDG_STATE_HOME": nil,
            "AWS_ENDPOINT_URL_S3": s3.url, "AWS_ENDPOINT_URL_STS": s3.url, "AWS_ENDPOINT_URL": nil, "AWS_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": Self.accessKey, "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": nil, "AWS_PROFILE": nil,
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
            "AWS_CONFIG_FILE": directory.appendingPathComponent("aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("aws-credentials").path,
            "COPYPT_GLOBUS_CLIENT_ID": Self.clientID, "COPYPT_GLOBUS_CLIENT_SECRET": Self.clientSecret,
        ]
        for (key, value) in globus.environment { env[key] = value }
        return env
    }

    /// Runs `copypt arguments`.
    func copypt(_ arguments: [String]) async throws -> ChildProcess.Result {
        try await EndToEndFixture.run(try EndToEndFixture.executable("copypt"), arguments, environment: environment)
    }

    /// `copypt policy … --json`'s document of `kind`, as a JSON object.
    func printedPolicy(_ arguments: [String], kind: String) async throws -> Any? {
        let result = try await copypt(["policy", "--json"] + arguments)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let documents = object?["documents"] as? [[String: Any]] ?? []
        return documents.first { $0["kind"] as? String == kind }?["policy"]
    }
}
