import CopyPTCLI

// Also copypt-add and copypt-sweep when installed as links to this program (scripts/package).
await CopyPTMain.main(CopyPTMain.command(invokedAs: CommandLine.arguments.first))
