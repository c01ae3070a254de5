import CopyPTCLI
import CopyPTTestSupport
import Foundation
import Testing

@Suite struct CopyPTMainTests {
    @Test("help and version go to stdout with exit 0")
    func helpAndVersion() async {
        let help = await CLI.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: copypt <subcommand>") && help.stderr.isEmpty)
        #expect(help.stdout.contains("75  only transient trouble"))
        let subHelp = await CLI.run(["add", "--help"])
        #expect(subHelp.status == 0 && subHelp.stdout.contains("USAGE: copypt add "))
        let version = await CLI.run(CopyPTAddCommand.self, ["--version"])
        #expect(version.status == 0 && version.stdout == CopyPTVersion.current + "\n")
    }

    @Test("one program serves all three names: copypt-add and copypt-sweep may be links to copypt")
    func invokedAs() {
        #expect(ObjectIdentifier(CopyPTMain.command(invokedAs: "/usr/bin/copypt-add")) == ObjectIdentifier(CopyPTAddCommand.self))
        #expect(ObjectIdentifier(CopyPTMain.command(invokedAs: "copypt-sweep")) == ObjectIdentifier(CopyPTSweepCommand.self))
        #expect(ObjectIdentifier(CopyPTMain.command(invokedAs: "/usr/bin/copypt")) == ObjectIdentifier(CopyPTCommand.self))
        #expect(ObjectIdentifier(CopyPTMain.command(invokedAs: "./something-else")) == ObjectIdentifier(CopyPTCommand.self))
        #expect(ObjectIdentifier(CopyPTMain.command(invokedAs: nil)) == ObjectIdentifier(CopyPTCommand.self))
    }

    @Test("usage errors exit 2 (not argument-parser's 64) with one line naming the command")
    func usageErrors() async {
        let unknown = await CLI.run(["frobnicate"])
        #expect(unknown.status == 2 && unknown.isOneLineError && unknown.stderr.hasPrefix("copypt: "), "\(unknown)")
        let sub = await CLI.run(["status", "--frobnicate"])
        #expect(sub.status == 2 && sub.isOneLineError && sub.stderr.hasPrefix("copypt status: "), "\(sub)")
        #expect(sub.stderr.contains("(see 'copypt status --help')"))
    }

    @Test("the state dir comes from --state-dir, COPYPT_STATE_DIR, XDG_STATE_HOME, then HOME", arguments: [
        ([String: String](), "/opt/given", "/opt/given"),
        (["COPYPT_STATE_DIR": "/srv/copypt", "XDG_STATE_HOME": "/x", "HOME": "/home/u"], nil, "/srv/copypt"),
        (["COPYPT_STATE_DIR": "", "XDG_STATE_HOME": "/x", "HOME": "/home/u"], nil, "/x/copypt"),
        (["XDG_STATE_HOME": "relative/ignored", "HOME": "/home/u"], nil, "/home/u/.local/state/copypt"),
        (["HOME": "/home/u"], nil, "/home/u/.local/state/copypt"),
    ] as [([String: String], String?, String)])
    func stateDirectory(environment: [String: String], option: String?, expected: String) throws {
        let url = try StateDirectory.resolve(option: option.map { URL(fileURLWithPath: $0) }, environment: environment)
        #expect(url.standardizedFileURL.path == expected)
    }

    @Test("with no way to place the state dir, commands say what to set and exit 2")
    func noStateDirectory() async {
        let result = await CLI.run(["status"], environment: [:])
        #expect(result.status == 2 && result.isOneLineError && result.stderr.contains("--state-dir"), "\(result)")
    }
}
