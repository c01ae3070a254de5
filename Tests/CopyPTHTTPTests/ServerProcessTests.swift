import CopyPTTestSupport
import Testing

@Suite struct ServerProcessTests {
    @Test("a child server on a free loopback port is reachable, then stopped")
    func startsAndStops() throws {
        let server = try ServerProcess(executable: "python3", arguments: ["-m", "http.server", "--bind", "127.0.0.1", "{port}"])
        #expect(ServerProcess.canConnect(port: server.port))
        server.stop()
        #expect(!ServerProcess.canConnect(port: server.port))
    }
}
