import CopyPTCLI

await CopyPTMain.main(CopyPTCommand.self)
