import CopyPTRecords
import CopyPTTestSupport
import Foundation
import Testing

@testable import CopyPTCLI

/// The sweep's once-a-day notices: said once a day or when the reason changes, forgotten on
/// `clear`, and the cache file read only as copypt wrote it.
@Suite struct DailyNoticesTests {
    final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
    }

    @Test("a notice is said once, again after a day or with a new reason, and at once after clear; the file carries it across runs")
    func onceADay() throws {
        let directory = try TemporaryDirectory.make("copypt-notices")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cache/copypt/notices.json")
        let clock = Clock()
        let first = DailyNotices(path: path, now: { clock.now })
        #expect(first.shouldSay("globus_login", reason: "A"))
        #expect(!first.shouldSay("globus_login", reason: "A"))
        first.save()
        let attributes = try FileManager.default.attributesOfItem(atPath: path.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        clock.now += 3600
        let second = DailyNotices(path: path, now: { clock.now })
        #expect(!second.shouldSay("globus_login", reason: "A"), "within the day, in a later run")
        #expect(second.shouldSay("globus_login", reason: "B"), "a new reason is news")
        #expect(second.shouldSay("refresh_age", reason: "old"), "keys are separate")
        clock.now += 86_401
        #expect(second.shouldSay("globus_login", reason: "B"), "a day later")
        second.clear("globus_login")
        #expect(second.shouldSay("globus_login", reason: "B"), "cleared: said at once")
    }

    @Test("an unreadable notices file is ignored and replaced; a symbolic link is replaced, its target never read or written",
          arguments: ["{not json", String(repeating: "[", count: 200_000), "{\"globus_login\": {\"reason\": 1, \"at\": \"x\"}}"])
    func unreadableOrLinked(contents: String) throws {
        let directory = try TemporaryDirectory.make("copypt-notices")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("notices.json")
        try Data(contents.utf8).write(to: path)
        let notices = DailyNotices(path: path, now: { Date() })
        #expect(notices.shouldSay("globus_login", reason: "A"))
        notices.save()
        #expect(!DailyNotices(path: path, now: { Date() }).shouldSay("globus_login", reason: "A"))

        let outside = directory.appendingPathComponent("outside.txt")
        try Data("{\"globus_login\": {\"reason\": \"A\", \"at\": \"2999-01-01T00:00:00Z\"}}".utf8).write(to: outside)
        let link = directory.appendingPathComponent("linked.json")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside)
        let linked = DailyNotices(path: link, now: { Date() })
        #expect(linked.shouldSay("globus_login", reason: "A"), "the link is not followed")
        linked.save()
        #expect(try String(contentsOf: outside, encoding: .utf8).contains("2999"), "the target is untouched")
    }

    @Test("the file lives in XDG_CACHE_HOME, else ~/.cache; nowhere without either")
    func location() {
        #expect(DailyNotices.path(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])?.path == "/c/copypt/notices.json")
        #expect(DailyNotices.path(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])?.path == "/h/.cache/copypt/notices.json")
        #expect(DailyNotices.path(environment: [:]) == nil)
    }

    @Test("a login renewal older than the limit is warned about; a limit of 0 turns it off",
          arguments: [(40, 30, true), (29, 30, false), (400, 0, false)])
    func renewalWarning(days: Int, limitDays: Int, warns: Bool) {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let renewal = LoginRenewal(tokenFile: "/t", renewedAt: now.addingTimeInterval(-Double(days) * 86_400 - 60))
        let warning = renewal.warning(at: now, limit: .seconds(Int64(limitDays) * 86_400))
        #expect((warning != nil) == warns)
        if warns { #expect(warning?.contains("last renewed \(days) days ago") == true) }
    }
}
