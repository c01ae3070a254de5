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

    @Test("a non-zero exit shows the status and stderr's first line")
    func failure() async throws {
        let dir = try TempDirectory()
        defer { dir.cleanUp() }
        let script = try dir.write("fail", """
            #!/bin/sh
            echo 'token expired: run sso login' >&2
            echo 'second line' >&2
            exit 3
            """, executable: true)
        let provider = ProcessCredentialProvider(command: script)
        await #expect(throws: CredentialError.processFailed(command: script, status: 3, stderr: "token expired: run sso login")) {
            try await provider.credentials()
        }
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
        let hang = try dir.write("hang", "#!/bin/sh\nexec sleep 30\n", executable: true)
        let started = Date()
        await #expect(throws: CredentialError.processFailed(command: hang, status: SIGKILL, stderr: "killed after the 0.3 seconds time limit")) {
            try await ProcessCredentialProvider(command: hang, timeout: .milliseconds(300)).credentials()
        }
        // Well under the script's 30 s sleep (so it was killed), with room for a loaded 2-core run.
        #expect(Date().timeIntervalSince(started) < 25)
    }
}
