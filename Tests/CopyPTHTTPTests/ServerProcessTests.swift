import CopyPTTestSupport
import Testing

@Suite struct ServerProcessTests {
    @Test("a child server on a free loopback port is reachable, then stopped")
    func startsAndStops() async throws {
        let server = try await ServerProcess.launch(executable: "python3", arguments: ["-m", "http.server", "--bind", "127.0.0.1", "{port}"])
        #expect(ServerProcess.canConnect(port: server.port))
        await server.shutdown()
        #expect(!ServerProcess.canConnect(port: server.port))
    }
}
