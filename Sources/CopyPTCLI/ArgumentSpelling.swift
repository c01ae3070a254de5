import ArgumentParser
import Foundation

/// Finds a mistyped subcommand or option name in a command line that did not parse, so the
/// user hears `Unknown option '--concurency'. Did you mean '--concurrency'?` rather than
/// whatever a command's own checks made of the shifted arguments (argument-parser runs
/// `validate()` before it looks for unknown options).
enum ArgumentSpelling {
    /// The first misspelt subcommand or option in `arguments` for `command`, as one sentence;
    /// `nil` when every name is known.
    static func problem(in arguments: [String], command: any ParsableCommand.Type) -> String? {
        guard let info = commandInfo(command) else { return nil }
        return problem(in: arguments[...], info: info)
    }

    private static func problem(in arguments: ArraySlice<String>, info: [String: Any]) -> String? {
        // argument-parser lists its built-in `help` among a root's subcommands.
        let subcommands = ((info["subcommands"] as? [[String: Any]]) ?? []).filter { $0["commandName"] as? String != "help" }
        let (longNames, shortNames) = names(in: info)
        var rest = arguments
        while let argument = rest.first {
            rest = rest.dropFirst()
            if argument == "--" { return nil }
            if argument.hasPrefix("--") {
                let name = String(argument.dropFirst(2).prefix { $0 != "=" })
                if !longNames.contains(name) {
                    let near = nearest(name, among: longNames, within: 3)
                    return "Unknown option '--\(name)'" + (near.map { ". Did you mean '--\($0)'?" } ?? "")
                }
            } else if argument.hasPrefix("-"), argument.count > 1, Double(argument) == nil {
                // Only the first letter: a value may follow it directly (-c4).
                if let letter = argument.dropFirst().first, !shortNames.contains(letter) {
                    return "Unknown option '-\(letter)'"
                }
            } else if !subcommands.isEmpty {
                let commands = subcommands.compactMap { $0["commandName"] as? String }
                if let sub = subcommands.first(where: { $0["commandName"] as? String == argument }) {
                    return problem(in: rest, info: sub)
                }
                if argument == "help" { return nil }
                if let near = nearest(argument, among: Set(commands), within: max(1, argument.count / 2)) {
                    return "Unknown command '\(argument)'. Did you mean '\(near)'?"
                }
                return "Unknown command '\(argument)'; the commands are \(commands.joined(separator: ", "))"
            }
        }
        return nil
    }

    /// The long and short option names `info` accepts, plus the built-in help and version.
    private static func names(in info: [String: Any]) -> (long: Set<String>, short: Set<Character>) {
        var long: Set<String> = ["help", "version", "experimental-dump-help", "generate-completion-script"]
        var short: Set<Character> = ["h"]
        for argument in (info["arguments"] as? [[String: Any]]) ?? [] {
            for name in (argument["names"] as? [[String: Any]]) ?? [] {
                guard let text = name["name"] as? String else { continue }
                if name["kind"] as? String == "short", let letter = text.first { short.insert(letter) } else { long.insert(text) }
            }
        }
        return (long, short)
    }

    /// argument-parser's own description of `command` (its `--experimental-dump-help` JSON).
    private static func commandInfo(_ command: any ParsableCommand.Type) -> [String: Any]? {
        let json = command._dumpHelp()
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return object?["command"] as? [String: Any]
    }

    /// The candidate closest to `word`, if one is within `limit` edits.
    static func nearest(_ word: String, among candidates: Set<String>, within limit: Int) -> String? {
        candidates
            .map { ($0, distance(word, $0)) }
            .filter { $0.1 <= limit }
            .min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Edits (insert, delete, replace, swap two neighbours) turning `a` into `b`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
                }
            }
        }
        return rows[a.count][b.count]
    }
}
