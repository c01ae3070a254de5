@testable import CopyPTGlobus
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The token directory check, as ssh checks `~/.ssh`.
@Suite struct GlobusTokenStoreDirectoryTests {
    @Test("a token directory writable by group or others is refused with the chmod to run; the file is neither read nor replaced")
    func writableRefused() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = GlobusTokenStore(path: directory.appendingPathComponent("globus-tokens.json"))
        try store.save(GlobusTokenStoreTests.tokens())
        let before = try Data(contentsOf: store.path)
        #expect(chmod(directory.path, 0o777) == 0)
        let message = "refusing Globus token directory \(directory.path): it is writable by group or others (mode 777); "
            + "run `chmod go-w \(directory.path)`"
        #expect(throws: GlobusError.configuration(message)) { try store.load() }
        #expect(throws: GlobusError.configuration(message)) { try store.save(GlobusTokenStoreTests.tokens("access-2")) }
        await #expect(throws: GlobusError.configuration(message)) { try await store.withLock { 1 } }
        #expect(try Data(contentsOf: store.path) == before)
        #expect(chmod(directory.path, 0o700) == 0)
        #expect(try store.load() == GlobusTokenStoreTests.tokens())
    }

    @Test("a token directory owned by another user is refused; the user's own or root's passes")
    func ownerChecked() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("globus-tokens.json")
        let me = UInt32(geteuid())
        #expect(try GlobusTokenStore(path: path, user: me).load() == nil)
        if me == 0 {
            #expect(chown(directory.path, 4242, 4242) == 0)
        }
        let owner = me == 0 ? UInt32(4242) : me
        let user = me == 0 ? UInt32(0) : me + 1
        do {
            _ = try GlobusTokenStore(path: path, user: user).load()
            Issue.record("a directory of uid \(owner) was accepted for uid \(user)")
        } catch let GlobusError.configuration(message) {
            #expect(message.contains("belongs to uid \(owner), not to uid \(user)") && message.contains("chown \(user) \(directory.path)"))
        }
    }
}
