import CopyPTCLI

await CopyPTCommand.Sweep.main()
