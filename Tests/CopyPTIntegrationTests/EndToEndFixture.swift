import CopyPTHTTP
import CopyPTRecords
import CopyPTS3
import CopyPTTestSupport
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Everything an end-to-end test of the real executables needs: its own moto_server (recording
/// every request, so tests can count CopyObject/UploadPartCopy per key), its own Globus
/// emulator with a registered service-account client, a state directory, and helpers to run
/// `copypt-add`, `copypt-sweep` and `copypt status` as child processes.
final class EndToEndFixture: @unchecked Sendable {
    let moto: ServerProcess
    let globus: GlobusEmulator
    let transport: CurlTransport
    let directory: URL
    let recording: URL
    let identity: String
    static let clientID = "e2e-sweep-client"
    static let clientSecret = "e2e+client/secret=not=real=="  // + / = as real secrets have: sent raw in Basic
    static let credentials = AWSCredentials(accessKeyID: "AKIAE2ETESTINGKEY000", secretAccessKey: "e2e-aws-secret-not-real")

    /// Starts both servers. `partMinimumSize` is moto's `S3_UPLOAD_PART_MIN_SIZE`.
    init(partMinimumSize: Int = 256 << 10) async throws {
        directory = try TemporaryDirectory.make("copypt-e2e")
        recording = directory.appendingPathComponent("moto-recording.jsonl")
        moto = try await ServerProcess.launch(
            executable: "moto_server", arguments: ["-H", "127.0.0.1", "-p", "{port}"],
            environment: [
                "S3_UPLOAD_PART_MIN_SIZE": String(partMinimumSize), "MOTO_ALLOW_NONEXISTENT_REGION": "true",
                "MOTO_ENABLE_RECORDING": "true", "MOTO_RECORDER_FILEPATH": recording.path,
            ])
        globus = try await GlobusEmulator.start()
        transport = try CurlTransport()
        identity = try await globus.registerClient(Self.clientID, secret: Self.clientSecret)
    }

    deinit {
        moto.stop()
        globus.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var stateDirectory: URL { directory.appendingPathComponent("state", isDirectory: true) }
    var store: RecordStore { RecordStore(root: stateDirectory) }

    /// The environment of every child: fake AWS keys, moto as S3, the emulator as Globus.
    var environment: [String: String?] {
        var env: [String: String?] = [
            "COPYPT_STATE_DIR": stateDirectory.path, "HOME": directory.path,
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path, "XDG_STATE_HOME": nil, "XDG_CACHE_HOME": nil,
            "AWS_ENDPOINT_URL_S3": moto.baseURL, "AWS_ENDPOINT_URL": nil, "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": Self.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": Self.credentials.secretAccessKey,
            "AWS_SESSION_TOKEN": nil, "AWS_PROFILE": nil, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": directory.appendingPathComponent("aws-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("aws-credentials").path,
            "AWS_MAX_ATTEMPTS": "2",
            "COPYPT_GLOBUS_CLIENT_ID": Self.clientID, "COPYPT_GLOBUS_CLIENT_SECRET": Self.clientSecret,
        ]
        for (key, value) in globus.environment { env[key] = value }
        return env
    }

    // MARK: - Executables

    static func executable(_ name: String) throws -> String {
        guard let path = BuildProducts.executable(name) else {
            throw EndToEndError(description: "\(name) not found beside the test bundle; run `swift build` first")
        }
        return path
    }

    /// Runs `executable arguments` to completion (waiting without blocking the cooperative pool).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String?]) async throws -> ChildProcess.Result {
        try await ChildProcess.run(executable, arguments, environment: environment)
    }

    /// `copypt-add --task … --from … --to … extra`; returns the new id.
    func add(task: String, from: String, to: String, _ extra: [String] = []) async throws -> String {
        let result = try await Self.run(
            try Self.executable("copypt-add"), ["--no-check", "--task", task, "--from", from, "--to", to] + extra, environment: environment)
        guard result.status == 0 else {
            throw EndToEndError(description: "copypt-add exited \(result.status): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `copypt-sweep arguments` to completion.
    func sweep(_ arguments: [String] = ["--once"], environment extra: [String: String?] = [:]) async throws -> ChildProcess.Result {
        var env = environment
        for (key, value) in extra { env[key] = value }
        return try await Self.run(try Self.executable("copypt-sweep"), arguments, environment: env)
    }

    /// Starts `copypt-sweep arguments` without waiting (so it can be killed).
    func startSweep(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable("copypt-sweep"))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `copypt status`.
    func status(_ arguments: [String] = []) async throws -> ChildProcess.Result {
        try await Self.run(try Self.executable("copypt"), ["status"] + arguments, environment: environment)
    }

    // MARK: - Globus

    /// A task owned by the service account whose files land under `/<bucket>/<prefix>` + each path.
    func task(bucket: String, prefix: String, _ relatives: [String], status: String = "ACTIVE") async throws -> String {
        let files = relatives.map {
            GlobusEmulator.File(sourcePath: "/lab/" + $0, destinationPath: "/\(bucket)/\(prefix)\($0)", size: 1)
        }
        return try await globus.createTask(ownerID: identity, status: status, files: files)
    }

    // MARK: - S3

    func createBucket(_ name: String) async throws {
        try check(try await send(.put, "/\(name)"), "CreateBucket \(name)")
    }

    func put(_ bucket: String, _ key: String, _ body: [UInt8]) async throws {
        try check(try await send(.put, "/\(bucket)/\(S3PathEncoding.encodeKey(key))", body: body), "PutObject \(key)")
    }

    func get(_ bucket: String, _ key: String) async throws -> [UInt8]? {
        let response = try await send(.get, "/\(bucket)/\(S3PathEncoding.encodeKey(key))")
        if response.status == 404 { return nil }
        try check(response, "GetObject \(key)")
        return response.body
    }

    /// Every key in `bucket` under `prefix`.
    func keys(_ bucket: String, prefix: String = "") async throws -> [String] {
        let client = S3Client(
            transport: transport,
            configuration: AWSConfiguration(region: "us-east-1", s3Endpoint: moto.baseURL, credentialProvider: StaticCredentialProvider(Self.credentials)),
            logger: Logger(label: "e2e"))
        var keys: [String] = []
        try await client.listAllObjects(bucket: bucket, prefix: prefix) { page in keys += page.map(\.key) }
        return keys.sorted()
    }

    /// Starts a multipart upload and leaves it open, as a sweep killed right after
    /// CreateMultipartUpload would.
    func createUpload(_ bucket: String, _ key: String) async throws {
        try check(try await send(.post, "/\(bucket)/\(S3PathEncoding.encodeKey(key))?uploads"), "CreateMultipartUpload \(key)")
    }

    /// Multipart uploads still open in `bucket` (ListMultipartUploads): orphans, after a sweep.
    func openUploads(_ bucket: String) async throws -> Int {
        let response = try await send(.get, "/\(bucket)?uploads")
        try check(response, "ListMultipartUploads \(bucket)")
        return response.bodyText.components(separatedBy: "<UploadId>").count - 1
    }

    /// Every request moto received since the last ``clearRecording()``: method and path+query.
    func recordedRequests() -> [(method: String, url: String, copy: Bool)] {
        guard let text = try? String(contentsOf: recording, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let method = entry["method"] as? String, let url = entry["url"] as? String else { return nil }
            let headers = entry["headers"] as? [String: String] ?? [:]
            return (method, url, headers.keys.contains { $0.lowercased() == "x-amz-copy-source" })
        }
    }

    /// Forgets the requests recorded so far.
    func clearRecording() throws {
        try Data().write(to: recording)
    }

    /// Copy requests moto received (CopyObject and UploadPartCopy), by destination key.
    func copyRequests(bucket: String) throws -> [String: Int] {
        guard let text = try? String(contentsOf: recording, encoding: .utf8) else { return [:] }
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let data = line.data(using: .utf8),
                  let entry = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  entry["method"] as? String == "PUT",
                  let headers = entry["headers"] as? [String: String],
                  headers.keys.contains(where: { $0.lowercased() == "x-amz-copy-source" }),
                  let url = entry["url"] as? String
            else { continue }
            // moto records an IRI: non-ASCII as is, reserved bytes still percent-encoded.
            let afterScheme = url.components(separatedBy: "://").last ?? url
            let path = String(afterScheme.drop { $0 != "/" }.prefix { $0 != "?" })
            let prefix = "/\(bucket)/"
            guard path.hasPrefix(prefix) else { continue }
            let key = String(path.dropFirst(prefix.count)).removingPercentEncoding ?? ""
            counts[key, default: 0] += 1
        }
        return counts
    }

    private func send(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: moto.baseURL + path, body: body)
        if !body.isEmpty { request.headers["Content-Type"] = "application/octet-stream" }
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "s3")
        return try await transport.send(signer.signed(request, payloadHash: SigV4Signer.unsignedPayload, at: Date()))
    }

    private func check(_ response: HTTPResponse, _ what: String) throws {
        guard response.isSuccess else {
            throw EndToEndError(description: "\(what): \(response.status) \(response.bodyText)")
        }
    }

    /// Distinct bytes for an object.
    static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &+ ($0 >> 8)) }
    }
}

/// A set-up step of an end-to-end test failed.
struct EndToEndError: Error, CustomStringConvertible {
    let description: String
}
