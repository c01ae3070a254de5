import CopyPTCLI

await CopyPTCommand.Add.main()
