import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

/// The sweep trusts `AWS_CA_BUNDLE` / a profile's `ca_bundle` for S3, as `copypt copy` does:
/// moto behind scripts/tls-proxy, whose certificate a throwaway CA made here has signed.
@Suite struct EndToEndCABundleTests {
    /// A CA and a certificate for 127.0.0.1 signed by it, in `directory`; returns (CA, cert, key) paths.
    static func makeCertificates(in directory: URL) async throws -> (ca: String, cert: String, key: String) {
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let extensions = path("server.ext")
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "2", "-subj", "/CN=copypt throwaway test CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-CAcreateserial",
             "-out", path("server.pem"), "-days", "2", "-extfile", extensions],
        ]
        for arguments in steps {
            let result = try await ChildProcess.run("/usr/bin/openssl", arguments)
            guard result.status == 0 else { throw EndToEndError(description: "openssl \(arguments[0]) failed: \(result.stderr)") }
        }
        return (path("ca.pem"), path("server.pem"), path("server.key"))
    }

    /// scripts/tls-proxy in front of `e2e`'s moto with a certificate signed by a throwaway CA;
    /// returns the proxy and the CA's path.
    static func tlsProxy(_ e2e: EndToEndFixture) async throws -> (ServerProcess, ca: String) {
        let certificates = try await makeCertificates(in: e2e.directory)
        let proxy = try await ServerProcess.launch(
            executable: ProjectPaths.script("tls-proxy").path,
            arguments: ["{port}", String(e2e.moto.port), certificates.cert, certificates.key])
        return (proxy, certificates.ca)
    }

    @Test("the sweep copies over HTTPS trusting AWS_CA_BUNDLE or the profile's ca_bundle, and fails on TLS without either")
    func sweepHonoursCABundle() async throws {
        let e2e = try await EndToEndFixture()
        let (proxy, ca) = try await Self.tlsProxy(e2e)
        defer { proxy.stop() }
        // AWS_CA_BUNDLE is unset unless a step sets it: this machine's own may be set to the system bundle.
        let https: [String: String?] = ["AWS_ENDPOINT_URL_S3": "https://127.0.0.1:\(proxy.port)", "AWS_CA_BUNDLE": nil]
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        for name in ["env", "profile", "none"] { try await e2e.put("staging", "\(name)/a", Array(name.utf8)) }

        // AWS_CA_BUNDLE.
        let viaEnv = try await e2e.add(
            task: try await e2e.task(bucket: "staging", prefix: "env/", ["a"], status: "SUCCEEDED"), from: "s3://staging/env/", to: "s3://dest/env/")
        let envSweep = try await e2e.sweep(environment: https.merging(["AWS_CA_BUNDLE": ca]) { $1 })
        #expect(envSweep.status == 0, "stderr: \(envSweep.stderr)")
        #expect(try e2e.store.load(viaEnv).state == .done)
        #expect(try await e2e.get("dest", "env/a") == Array("env".utf8))

        // The default profile's ca_bundle.
        let config = e2e.directory.appendingPathComponent("aws-config")
        try "[default]\nca_bundle = \(ca)\n".write(to: config, atomically: true, encoding: .utf8)
        let viaProfile = try await e2e.add(
            task: try await e2e.task(bucket: "staging", prefix: "profile/", ["a"], status: "SUCCEEDED"),
            from: "s3://staging/profile/", to: "s3://dest/profile/")
        let profileSweep = try await e2e.sweep(environment: https)
        #expect(profileSweep.status == 0, "stderr: \(profileSweep.stderr)")
        #expect(try e2e.store.load(viaProfile).state == .done)
        try FileManager.default.removeItem(at: config)

        // Neither: the throwaway CA is not trusted.
        let untrusted = try await e2e.add(
            task: try await e2e.task(bucket: "staging", prefix: "none/", ["a"], status: "SUCCEEDED"), from: "s3://staging/none/", to: "s3://dest/none/")
        let plain = try await e2e.sweep(environment: https)
        #expect(plain.status != 0)
        #expect(plain.stdout.contains("TLS failure") || plain.stderr.contains("TLS failure"), "stdout: \(plain.stdout) stderr: \(plain.stderr)")
        #expect(try e2e.store.load(untrusted).state != .done)
        #expect(try await e2e.get("dest", "none/a") == nil)
    }

    @Test("whoami, doctor and add's checks reach S3 and STS over HTTPS trusting AWS_CA_BUNDLE or the profile's ca_bundle, like the sweep")
    func otherCommandsHonourCABundle() async throws {
        let e2e = try await EndToEndFixture()
        let (proxy, ca) = try await Self.tlsProxy(e2e)
        defer { proxy.stop() }
        try await e2e.createBucket("staging")
        try await e2e.createBucket("dest")
        try await e2e.put("staging", "run/a", Array("a".utf8))
        let task = try await e2e.task(bucket: "staging", prefix: "run/", ["a"], status: "SUCCEEDED")
        let id = try await e2e.add(task: task, from: "s3://staging/run/", to: "s3://dest/run/")
        var https = e2e.environment
        https["AWS_ENDPOINT_URL_S3"] = "https://127.0.0.1:\(proxy.port)"
        https["AWS_ENDPOINT_URL_STS"] = "https://127.0.0.1:\(proxy.port)"
        https["AWS_CA_BUNDLE"] = .some(nil)
        func copypt(_ executable: String, _ arguments: [String], caBundle: String? = nil) async throws -> ChildProcess.Result {
            var environment = https
            if let caBundle { environment["AWS_CA_BUNDLE"] = caBundle }
            return try await EndToEndFixture.run(try EndToEndFixture.executable(executable), arguments, environment: environment)
        }

        // AWS_CA_BUNDLE.
        let whoami = try await copypt("copypt", ["whoami", "--no-globus"], caBundle: ca)
        #expect(whoami.status == 0, "stderr: \(whoami.stderr)")
        #expect(whoami.stdout.hasPrefix("AWS profile default: arn:aws:"))

        // The default profile's ca_bundle.
        let config = e2e.directory.appendingPathComponent("aws-config")
        try "[default]\nca_bundle = \(ca)\n".write(to: config, atomically: true, encoding: .utf8)
        let viaProfile = try await copypt("copypt", ["whoami", "--no-globus"])
        #expect(viaProfile.status == 0, "stderr: \(viaProfile.stderr)")
        let doctor = try await copypt("copypt", ["doctor", id, "--no-globus"])
        #expect(doctor.status == 0, "stdout: \(doctor.stdout) stderr: \(doctor.stderr)")
        let added = try await copypt("copypt-add", ["--task", task, "--from", "s3://staging/run/", "--to", "s3://dest/other/"])
        #expect(added.status == 0, "stderr: \(added.stderr)")
        try FileManager.default.removeItem(at: config)

        // Neither: the throwaway CA is not trusted.
        let untrusted = try await copypt("copypt", ["whoami", "--no-globus"])
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("TLS failure"), "stderr: \(untrusted.stderr)")
        let unchecked = try await copypt("copypt", ["doctor", id, "--no-globus"])
        #expect(unchecked.status != 0, "stdout: \(unchecked.stdout)")
    }
}
