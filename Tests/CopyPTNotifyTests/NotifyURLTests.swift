import Testing

@testable import CopyPTNotify

@Suite struct NotifyURLTests {
    static let slack = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX"

    @Test("An http(s) URL is taken; messages show only scheme://host/…")
    func accepted() throws {
        let url = try NotifyURL(Self.slack, setting: "--notify-url")
        #expect(url.redacted == "https://hooks.slack.com/…")
        #expect(url.appending("/start") == Self.slack + "/start")
        #expect(try NotifyURL("http://127.0.0.1:8080/ping/abc?x=1", setting: "--ping-url").appending("/fail") == "http://127.0.0.1:8080/ping/abc/fail?x=1")
    }

    @Test("Bad URLs are refused without repeating their path", arguments: [
        "ftp://h/SECRET", "hooks.slack.com/SECRET", "https://user:pw@h/SECRET", "https://h/SECRET#x",
        "https:///SECRET", "https://h/SEC RET", "http:/h/SECRET",
    ])
    func refused(text: String) {
        do {
            _ = try NotifyURL(text, setting: "--notify-url")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".hasPrefix("--notify-url "))
            #expect(!"\(error)".contains("SECRET"))
            #expect(!"\(error)".contains("pw"))
        }
    }
}
