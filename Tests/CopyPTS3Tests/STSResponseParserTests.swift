import Testing

@testable import CopyPTS3

@Suite struct STSResponseParserTests {
    @Test("an STS reply whose element name is not UTF-8 is refused, not handed to XMLParser, which traps on it")
    func nonUTF8ElementName() {
        let body = Array("<AssumeRoleResponse><AccessKe".utf8) + [0xE7] + Array("/></AssumeRoleResponse>".utf8)
        #expect(STSResponseParser.fields(of: body) == nil)
        #expect(STSResponseParser.fields(of: Array("<AssumeRoleResponse><AccessKeyId>AKIDEXAMPLE</AccessKeyId></AssumeRoleResponse>".utf8))?["AccessKeyId"] == "AKIDEXAMPLE")
    }
}
