import Foundation
import Testing
@testable import CopyPTS3

@Suite struct ProcessCredentialProviderTests {
    @Test("command lines split like a shell, without expansion", arguments: [
        ("/bin/creds", ["/bin/creds"]),
        ("  tool   --a  b ", ["tool", "--a", "b"]),
        ("tool 'one two' \"three four\"", ["tool", "one two", "three four"]),
        (#"tool "a \"q\" \$HOME \n" 'it''s' back\ slash"#, ["tool", #"a "q" $HOME \n"#, "its", "back slash"]),
        ("tool --x=\"\" ''", ["tool", "--x=", ""]),
        ("", []),
    ])
    func split(line: String, words: [String]) throws {
        #expect(try ProcessCredentialProvider.splitCommandLine(line) == words)
    }

    @Test("an unterminated quote is an error")
    func unterminated() {
        #expect(throws: CredentialError.self) { try ProcessCredentialProvider.splitCommandLine("tool 'oops") }
        #expect(throws: CredentialError.self) { try ProcessCredentialProvider.splitCommandLine("tool \"oops") }
    }

    @Test("runs the program with its arguments and reads Version 1 JSON with Expiration")
    func runs() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("bin/make creds", """
            #!/bin/sh
            # Echo the arguments back inside the key id, to prove no shell re-split them.
            printf '{"Version": 1, "AccessKeyId": "AKID-%s-%s", "SecretAccessKey": "process-secret", "SessionToken": "process-token", "Expiration": "2030-01-02T03:04:05Z"}' "$1" "$2"
            """, executable: true)
        let provider = ProcessCredentialProvider(command: "'\(script)' 'a b' c", environment: ["PATH": "/usr/bin:/bin"])
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "AKID-a b-c")
        #expect(credentials.secretAccessKey == "process-secret")
        #expect(credentials.sessionToken == "process-token")
        #expect(credentials.expiration == AWSCredentials.parseISO8601("2030-01-02T03:04:05Z"))
    }

    @Test("a program name is looked up on PATH from the environment dictionary")
    func pathLookup() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        try dir.write("copypt-test-creds", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDPATH", "SecretAccessKey": "s"}'
            """, executable: true)
        let provider = ProcessCredentialProvider(command: "copypt-test-creds", environment: ["PATH": "/nonexistent:\(dir.path)"])
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "AKIDPATH")
        #expect(credentials.expiration == nil)
    }

    @Test("a non-zero exit shows the status but never the program's stderr, which may hold secrets")
    func failure() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("fail", """
            #!/bin/sh
            echo 'token expired: secret wJalrXUtnFEMI-FAKE-SECRET' >&2
            exit 3
            """, executable: true)
        let provider = ProcessCredentialProvider(command: script)
        await #expect {
            try await provider.credentials()
        } throws: { error in
            guard let error = error as? CredentialError, error == .processFailed(command: script, status: 3) else { return false }
            return !error.description.contains("FAKE-SECRET") && error.description.contains("stderr above")
        }
    }

    @Test("the program's stderr passes through to copypt's own stderr")
    func stderrPassesThrough() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let creds = try dir.write("creds", """
            #!/bin/sh
            echo 'note from the helper' >&2
            echo '{"Version": 1, "AccessKeyId": "AKIDSTDERR", "SecretAccessKey": "s"}'
            """, executable: true)
        // A child Swift process would be heavy: run the helper through sh with stderr into a file,
        // the way copypt's own stderr receives it.
        let log = dir.path + "/stderr.log"
        // `sh creds` reads the helper rather than exec'ing a file just written (ETXTBSY while
        // another test's fork still holds it open).
        let wrapper = try dir.write("wrapper", "#!/bin/sh\nexec /bin/sh '\(creds)' 2>'\(log)'\n", executable: true)
        #expect(try await ProcessCredentialProvider(command: wrapper).credentials().accessKeyID == "AKIDSTDERR")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "note from the helper\n")
    }

    @Test("a grandchild holding stdout open does not stretch the time limit: the whole group is ended")
    func grandchildHoldingPipe() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let marker = dir.path + "/grandchild.pid"
        // The helper starts a background sleeper that inherits stdout, then itself hangs.
        let script = try dir.write("hold", """
            #!/bin/sh
            sleep 300 &
            echo $! > '\(marker)'
            exec sleep 300
            """, executable: true)
        let started = Date()
        await #expect(throws: CredentialError.processTimedOut(command: script, limit: .milliseconds(500))) {
            try await ProcessCredentialProvider(command: script, timeout: .milliseconds(500)).credentials()
        }
        // Bounded by the limit and the 2 s SIGTERM grace, not by the grandchild's 300 s (a generous
        // bound: a loaded 2-core test run is slow to start processes).
        #expect(Date().timeIntervalSince(started) < 120)
        let grandchild = try #require(Int32(try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<400 where !gone {
            gone = kill(grandchild, 0) != 0
            if !gone { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(gone, "the grandchild \(grandchild) outlived the limit")
    }

    @Test("a grandchild that keeps stdout after the helper exits is ended at the limit too")
    func grandchildAfterExit() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("leave", """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "AKIDLEFT", "SecretAccessKey": "s"}'
            sleep 300 &
            exit 0
            """, executable: true)
        let started = Date()
        await #expect(throws: CredentialError.processTimedOut(command: script, limit: .milliseconds(500))) {
            try await ProcessCredentialProvider(command: script, timeout: .milliseconds(500)).credentials()
        }
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test("more than 64 KiB on stdout is an error, and the helper is stopped")
    func oversizedOutput() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("flood", "#!/bin/sh\nexec yes AKIDFLOODAKIDFLOOD\n", executable: true)
        let started = Date()
        await #expect(throws: CredentialError.processOutputTooLarge(command: script, limit: 65536)) {
            try await ProcessCredentialProvider(command: script).credentials()
        }
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test("missing programs, wrong versions and hung processes are errors")
    func otherFailures() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        await #expect(throws: CredentialError.processLaunchFailed(command: "/no/such/tool", detail: "not found or not executable")) {
            try await ProcessCredentialProvider(command: "/no/such/tool").credentials()
        }
        let v2 = try dir.write("v2", "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n", executable: true)
        await #expect(throws: CredentialError.invalidResponse(source: "credential_process \(v2)", reason: "Version is 2, expected 1")) {
            try await ProcessCredentialProvider(command: v2).credentials()
        }
        let hang = try dir.write("hang", "#!/bin/sh\nexec sleep 300\n", executable: true)
        let started = Date()
        await #expect(throws: CredentialError.processTimedOut(command: hang, limit: .milliseconds(300))) {
            try await ProcessCredentialProvider(command: hang, timeout: .milliseconds(300)).credentials()
        }
        // Well under the script's 300 s sleep (so it was killed), with room for a loaded 2-core
        // run, where resuming the caller on the cooperative pool alone has taken 40 s.
        #expect(Date().timeIntervalSince(started) < 120)
    }
}
