import ArgumentParser
import CopyPTRecords
import Foundation

/// The entry point all three executables share. Unlike argument-parser's own `main()`, it
/// ends invalid input with exit status 2 (not 64) and one line on stderr, and maps copypt's
/// errors to the exit statuses in `ExitStatus`.
public enum CopyPTMain {
    /// Parses the process's arguments for `command`, runs it, and exits with its status.
    public static func main(_ command: any ParsableCommand.Type) async -> Never {
        let status = await run(command, arguments: Array(CommandLine.arguments.dropFirst()))
        exit(status)
    }

    /// Parses `arguments` for `command`, runs it in `CommandContext.current`, and returns the
    /// exit status. Help and version go to stdout (status 0); errors are one line on stderr.
    public static func run(_ command: any ParsableCommand.Type, arguments: [String]) async -> Int32 {
        let context = CommandContext.current
        let name = commandName(command, arguments: arguments)
        var parsed: any ParsableCommand
        do {
            parsed = try command.parseAsRoot(arguments)
        } catch {
            // A misspelt name explains the failure better than what the shifted arguments caused.
            if command.exitCode(for: error) != .success, let problem = ArgumentSpelling.problem(in: arguments, command: command) {
                context.printError("\(name): \(problem) (see '\(name) --help')")
                return ExitStatus.usage.rawValue
            }
            return report(error, command: command, name: name, context: context)
        }
        do {
            if var asyncCommand = parsed as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try parsed.run()
            }
            return ExitStatus.success.rawValue
        } catch {
            return report(error, command: command, name: name, context: context)
        }
    }

    /// The command an executable invoked as `path` runs: `copypt-add` and `copypt-sweep` are
    /// `copypt add` and `copypt sweep` under their own names, whichever binary they are, so a
    /// package can install them as links to the one `copypt` program.
    public static func command(invokedAs path: String?) -> any ParsableCommand.Type {
        switch path.map({ URL(fileURLWithPath: $0).lastPathComponent }) {
        case "copypt-add": return CopyPTAddCommand.self
        case "copypt-sweep": return CopyPTSweepCommand.self
        default: return CopyPTCommand.self
        }
    }

    // MARK: - Reporting

    private static func report(_ error: any Error, command: any ParsableCommand.Type, name: String, context: CommandContext) -> Int32 {
        switch error {
        case let error as CLIError:
            context.printError("\(name): \(error)")
            return error.exitStatus.rawValue
        case let error as RecordError:
            return report(CLIError.record(error), command: command, name: name, context: context)
        case let error as ExitCode:
            return error.rawValue  // already reported by the command
        default:
            break
        }
        let code = command.exitCode(for: error)
        if code == .success {
            let text = command.fullMessage(for: error)
            if !text.isEmpty { context.print(text) }
            return ExitStatus.success.rawValue
        }
        context.printError("\(name): \(oneLine(command.message(for: error))) (see '\(name) --help')")
        return ExitStatus.usage.rawValue
    }

    /// argument-parser's message folded onto one line, without its "Error:"/"Help:"/"Usage:" parts.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("Help:") && !$0.hasPrefix("Usage:") }
        // A "- value" list (argument-parser's allowed values) becomes "a, b, c".
        var text = ""
        for line in lines {
            if line.hasPrefix("- ") {
                text += (text.hasSuffix(":") ? " " : ", ") + line.dropFirst(2)
            } else {
                text += (text.isEmpty ? "" : " ") + line
            }
        }
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        if let last = text.last, !".!?".contains(last) { text += "." }
        return text
    }

    /// `copypt add` when the arguments start with a subcommand's name, else the command's own name.
    private static func commandName(_ command: any ParsableCommand.Type, arguments: [String]) -> String {
        let root = command.configuration.commandName ?? "copypt"
        guard let first = arguments.first else { return root }
        let sub = command.configuration.subcommands.first { $0.configuration.commandName == first }
        return sub == nil ? root : "\(root) \(first)"
    }
}
