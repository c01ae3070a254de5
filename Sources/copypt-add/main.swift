import CopyPTCLI

await CopyPTMain.main(CopyPTAddCommand.self)
