import CopyPTHTTP
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Testing

@testable import CopyPTCLI

/// `copypt copy` as a user runs it, against scripts/policy-s3: every request copypt makes for a
/// recursive copy (listing, tagging, CopyObject, the multipart calls, verification) passes the
/// stand-in's signature check for awkward keys and is judged by the cross-account policies.
@Suite struct PolicyS3CopyCommandTests {
    static func run(_ arguments: [String], server: PolicyS3Server) async throws -> (Int32, S3CopyCommandIntegrationTests.Captured) {
        try await S3CopyCommandIntegrationTests.run(arguments, endpoint: server.url, credentials: PolicyS3IntegrationTests.copypt, maxAttempts: 1)
    }

    @Test("copy --recursive of awkward and tagged keys, one multipart: refused without the bucket policy, unverified without s3:GetObject on the destination, copied and verified with it")
    func recursiveCopy() async throws {
        let server = try await PolicyS3Server.start()
        let keys = ["run/a b.h5", "run/c+d=e%f~.txt", "run/ünï/日本.dat", "run/tagged.txt", "run/empty"]
        var identity = PolicyS3IntegrationTests.configuration()
        try await server.configure(identity)
        for key in keys {
            let encoded = S3PathEncoding.encodeKey(key)
            var request = HTTPRequest(method: .put, url: "\(server.moto.endpoint)/stg/\(encoded)", body: key.hasSuffix("empty") ? [] : Array(key.utf8))
            if key.hasSuffix("tagged.txt") { request.headers["x-amz-tagging"] = "project=x" }
            #expect(try await server.transport.send(request).status == 200)
        }
        let big = (0..<(600 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(try await server.transport.send(HTTPRequest(method: .put, url: "\(server.moto.endpoint)/stg/run/big.bin", body: big)).status == 200)
        let arguments = ["--recursive", "--json", "--multipart-threshold", "300KiB", "--dest-owner", PolicyS3IntegrationTests.destination,
                         "s3://stg/run", "s3://dst/in/"]

        let (refused, denied) = try await Self.run(arguments, server: server)
        #expect(refused == 1)
        #expect(denied.err.contains("AccessDenied"), "\(denied.err)")

        var statement = PolicyS3IntegrationTests.writeStatement
        statement["Action"] = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging"]
        identity = PolicyS3IntegrationTests.configuration(bucketPolicy: PolicyS3IntegrationTests.policy([statement]))
        var policies = try #require(identity["identity_policies"] as? [String: [[String: Any]]])
        var statements = try #require(policies[PolicyS3IntegrationTests.copyptARN]?.first?["Statement"] as? [[String: Any]])
        statements.append([
            "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectTagging", "s3:PutObjectTagging"],
            "Resource": ["arn:aws:s3:::stg/*", "arn:aws:s3:::dst/*"],
        ])
        policies[PolicyS3IntegrationTests.copyptARN] = [PolicyS3IntegrationTests.policy(statements)]
        identity["identity_policies"] = policies
        try await server.configure(identity)
        // The multipart copy is verified with HeadObject on the destination: s3:GetObject there.
        let (unverified, headDenied) = try await Self.run(arguments, server: server)
        #expect(unverified == 1)
        #expect(headDenied.err.contains("HeadObject s3://dst/in/big.bin failed: 403 AccessDenied"), "\(headDenied.err)")

        statement["Action"] = ["s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging", "s3:GetObject"]
        var buckets = try #require(identity["buckets"] as? [String: [String: Any]])
        buckets["dst"]?["policy"] = PolicyS3IntegrationTests.policy([statement])
        identity["buckets"] = buckets
        try await server.configure(identity)
        let (status, captured) = try await Self.run(arguments, server: server)
        #expect(status == 0, "\(captured.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any])
        #expect(json["verified"] as? Int == keys.count + 1)
        let decisions = try await server.decisions()
        #expect(decisions.contains { $0.operation == "UploadPartCopy" && $0.allowed })
        #expect(decisions.contains { $0.action == "s3:PutObjectTagging" && $0.allowed })
        await server.shutdown()
    }
}
