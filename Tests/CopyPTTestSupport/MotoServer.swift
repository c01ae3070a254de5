import CopyPTHTTP
import Foundation

/// A `moto_server` (a local S3/IAM/STS emulator) on a free loopback port, started by a
/// test and stopped when the value goes away. Give each test its own server or its own
/// bucket names: tests run in parallel.
public final class MotoServer: Sendable {
    /// The child process.
    public let process: ServerProcess
    /// `http://127.0.0.1:<port>`: the endpoint for `AWS_ENDPOINT_URL`.
    public var endpoint: String { process.baseURL }
    /// The part minimum moto enforces on CompleteMultipartUpload.
    public let partMinimumSize: Int

    private init(process: ServerProcess, partMinimumSize: Int) {
        self.process = process
        self.partMinimumSize = partMinimumSize
    }

    /// Starts moto_server and returns once it accepts connections (waiting without blocking a
    /// thread of Swift's cooperative pool).
    /// - Parameter partMinimumSize: moto's `S3_UPLOAD_PART_MIN_SIZE`, default 5 MiB like S3;
    ///   tests of multipart copies lower it to keep objects small.
    public static func start(partMinimumSize: Int = 5 << 20) async throws -> MotoServer {
        let process = try await ServerProcess.launch(
            executable: "moto_server",
            arguments: ["-H", "127.0.0.1", "-p", "{port}"],
            environment: [
                "S3_UPLOAD_PART_MIN_SIZE": String(partMinimumSize),
                "MOTO_ALLOW_NONEXISTENT_REGION": "true",
            ]
        )
        return MotoServer(process: process, partMinimumSize: partMinimumSize)
    }

    /// Switches request authentication on: from now on every request must be signed with
    /// the keys of an IAM user that exists in this moto and whose policies allow it.
    ///
    /// `POST /moto-api/reset-auth` with body `0` sets moto's INITIAL_NO_AUTH_ACTION_COUNT to 0
    /// (moto docs, "Server mode: IAM-like access control").
    public func enableAuthentication(transport: any HTTPTransport) async throws {
        let response = try await transport.send(
            HTTPRequest(method: .post, url: endpoint + "/moto-api/reset-auth", body: Array("0".utf8)))
        guard response.status == 200 else {
            throw ServerProcess.StartError(description: "moto reset-auth answered \(response.status): \(response.bodyText)")
        }
    }

    /// Stops the server now and waits until it has exited (also done, blocking, on deinit).
    public func shutdown() async { await process.shutdown() }
}
