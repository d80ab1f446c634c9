import GatewayCLI

PMSGateway.runAndExit(Array(CommandLine.arguments.dropFirst()))
