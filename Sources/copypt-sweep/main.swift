import CopyPTCLI

await CopyPTMain.main(CopyPTSweepCommand.self)
