import CopyPTCLI

await CopyPTCommand.launch()
