import CopyPTTestSupport
import Foundation
import PropertyBased
import Testing

@testable import CopyPTS3

/// INIFile held to botocore's `configloader.raw_config_parse` (the reference for the AWS shared
/// files) on generated files and on every truncation of them: the same sections, values and
/// subsections, or both refuse. All files of a test go to one python3 process.
///
/// Named exceptions, kept out of the generated files and skipped in damaged ones: INIFile ends a
/// value at an inline ` #` or ` ;` (botocore keeps it in the value); it trims section names
/// (botocore keeps `[ x ]` as ` x `, and trims only when it maps profiles); and `[DEFAULT]` is
/// configparser's section of defaults for every other section, which AWS files do not use.
@Suite struct INIFilePropertyTests {
    static let file = Generator<String, Shrink.None<String>>(run: { random in
        var lines: [String] = []
        let newline = ["\n", "\n", "\r\n"].randomElement(using: &random) ?? "\n"
        func pick(_ options: [String]) -> String { options.randomElement(using: &random) ?? options[0] }
        if Bool.random(using: &random) { lines.append(pick(["# comment", "; comment", "", "  # indented comment"])) }
        let sectionNames = ["default", "profile dev", "profile lab-1", "sso-session corp", "services local", "Profile X"].shuffled(using: &random)
        for name in sectionNames.prefix(Int.random(in: 1...4, using: &random)) {
            lines.append("[" + name + "]" + (Int.random(in: 0...5, using: &random) == 0 ? " trailing" : ""))
            var keys = ["region", "Output", "role_arn", "source_profile", "aws_access_key_id", "endpoint_url", "s3", "credential_process", "note"]
                .shuffled(using: &random)
            keys = Array(keys.prefix(Int.random(in: 0...6, using: &random)))
            let keyIndent = Int.random(in: 0...5, using: &random) == 0 ? " " : ""
            for key in keys {
                let separator = pick([" = ", "=", " =", "= ", ": ", ":", "  =  "])
                if key == "s3" || key == "services" {
                    lines.append(keyIndent + key + separator.trimmingCharacters(in: .whitespaces))
                    for sub in ["addressing_style", "Max_Concurrent_Requests", "endpoint_url"].prefix(Int.random(in: 1...3, using: &random)) {
                        lines.append(keyIndent + pick(["  ", "\t", "    "]) + sub + pick([" = ", "="]) + pick(["path", "20", "http://127.0.0.1:4566"]))
                    }
                    continue
                }
                let value = pick(["us-west-2", "json", "arn:aws:iam::123456789012:role/dev", "AKIDEXAMPLE", "http://localhost:4566",
                                  "/usr/bin/helper --json", "a=b", "x:y", "", "with  two  spaces", "é日本"])
                lines.append(keyIndent + key + separator + value + pick(["", "", " ", "\t"]))
                if key == "note", !value.isEmpty, Bool.random(using: &random) {
                    if Bool.random(using: &random) { lines.append("") }
                    lines.append("    continued line")
                }
            }
            if Bool.random(using: &random) { lines.append(pick(["", "# between", "   "])) }
        }
        return lines.joined(separator: newline) + (Bool.random(using: &random) ? newline : "")
    })

    /// What a reader made of a file: sections to keys to a value or a subsection, or a refusal.
    enum Outcome: Equatable {
        case parsed([String: [String: Value]])
        case refused
    }

    enum Value: Equatable {
        case text(String)
        case subsection([String: String])
    }

    static func mine(_ text: String) -> Outcome {
        guard let sections = try? INIFile.parse(text, path: "f") else { return .refused }
        var result: [String: [String: Value]] = [:]
        for section in sections {
            var values: [String: Value] = [:]
            for (key, value) in section.values { values[key] = .text(value) }
            for (key, subsection) in section.subsections { values[key] = .subsection(subsection) }
            result[section.name] = values
        }
        return .parsed(result)
    }

    /// botocore's answers for `texts`, from one python3 process.
    static func botocore(_ texts: [String]) async throws -> [Outcome] {
        try await TemporaryDirectory.with("copypt-ini") { directory in
            var paths: [String] = []
            for (index, text) in texts.enumerated() {
                let path = directory.appendingPathComponent("config-\(index)").path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
            let list = directory.appendingPathComponent("list.json")
            try JSONEncoder().encode(paths).write(to: list)
            let script = """
                import json, sys
                from botocore.configloader import raw_config_parse
                out = []
                for path in json.load(open(sys.argv[1])):
                    try:
                        out.append({"ok": raw_config_parse(path)})
                    except Exception as e:
                        out.append({"error": type(e).__name__})
                json.dump(out, sys.stdout)
                """
            let result = try await ChildProcess.run("python3", ["-c", script, list.path])
            guard result.status == 0, let data = result.stdout.data(using: .utf8),
                  let answers = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
            else { throw CocoaError(.fileReadCorruptFile) }
            return answers.map { answer in
                guard let sections = answer["ok"] as? [String: [String: Any]] else { return .refused }
                return .parsed(sections.mapValues { values in
                    values.mapValues { value in
                        if let nested = value as? [String: String] { return .subsection(nested) }
                        return .text(value as? String ?? "")
                    }
                })
            }
        }
    }

    static func generate(_ count: Int) -> (files: [String], seed: String) {
        var random = Xoshiro()
        let seed = random.currentSeed
        return ((0..<count).map { _ in file.run(using: &random) }, seed)
    }

    @Test("generated AWS config files read as botocore reads them")
    func generated() async throws {
        let (files, seed) = Self.generate(150)
        let reference = try await Self.botocore(files)
        for (text, theirs) in zip(files, reference) where !Self.isNamedException(text) {
            let mine = Self.mine(text)
            #expect(mine != .refused, "INIFile refused a generated file (seed \(seed)): \(String(reflecting: text))")
            #expect(mine == theirs, "seed \(seed): \(String(reflecting: text))")
        }
    }

    /// Whether `text` holds something a named exception covers.
    static func isNamedException(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let inlineComment = !trimmed.hasPrefix("#") && !trimmed.hasPrefix(";")
                && (line.contains(" #") || line.contains("\t#") || line.contains(" ;") || line.contains("\t;"))
            let spacedName = trimmed.hasPrefix("[") && (trimmed.hasPrefix("[ ") || trimmed.hasPrefix("[\t") || trimmed.contains(" ]"))
            return inlineComment || spacedName || trimmed.hasPrefix("[DEFAULT]")
        }
    }

    @Test("generated files with bytes flipped and lines duplicated, dropped or marked up: botocore's answer or both refuse")
    func damaged() async throws {
        let (files, seed) = Self.generate(120)
        var random = Xoshiro()
        var texts: [String] = []
        for file in files {
            var lines = file.components(separatedBy: "\n")
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0...5, using: &random) {
                case 0: lines.insert(lines[at], at: at)
                case 1: lines.remove(at: at)
                case 2: lines[at] = (["[", "]", "=", ":", " ", "\t", "#", ";", "[a]", "k"].randomElement(using: &random) ?? "") + lines[at]
                case 3: lines[at] += ["[", "]", "=", ":", " ", "\t", "]x", "\r"].randomElement(using: &random) ?? ""
                case 4: lines.insert(["", "  ", "[]", "[ ]", "  x = y", "k", "=v"].randomElement(using: &random) ?? "", at: at)
                default:
                    var characters = Array(lines[at])
                    if !characters.isEmpty { characters.remove(at: Int.random(in: 0..<characters.count, using: &random)) }
                    lines[at] = String(characters)
                }
                if lines.isEmpty { lines = [""] }
            }
            texts.append(lines.joined(separator: "\n"))
        }
        let reference = try await Self.botocore(texts)
        for (text, theirs) in zip(texts, reference) where !Self.isNamedException(text) {
            #expect(Self.mine(text) == theirs, "seed \(seed): \(String(reflecting: text))")
        }
    }

    @Test("generated files cut at every line end and inside lines: botocore's answer or both refuse")
    func truncated() async throws {
        let (files, seed) = Self.generate(5)
        var random = Xoshiro()
        var texts: [String] = []
        for file in files {
            let characters = Array(file)
            for length in characters.indices where characters[length].isNewline || Int.random(in: 0...5, using: &random) == 0 {
                texts.append(String(characters[..<length]))
            }
        }
        let reference = try await Self.botocore(texts)
        for (text, theirs) in zip(texts, reference) {
            #expect(Self.mine(text) == theirs, "seed \(seed): \(String(reflecting: text))")
        }
    }
}
