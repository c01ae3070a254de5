import CopyPTCLI

await CopyPTCommand.main()
