import ArgumentParser

/// `system.*` and `rpc.discover`.
struct SystemGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Health, preflight checks, backups and metrics.",
        subcommands: [SystemHealth.self, SystemPreflight.self, SystemBackup.self, SystemMetrics.self])
}

struct SystemHealth: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Whether the daemon serves, with counts (system.health).")
    static let method = "system.health"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

struct SystemPreflight: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight", abstract: "Whether a login through eSignet can work now (system.preflight).")
    static let method = "system.preflight"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

struct SystemBackup: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the database online into the backup directory (system.backup).")
    static let method = "system.backup"
    @Option(help: "A new file name in the daemon's backup directory, or an absolute path directly inside it.")
    var path: String?
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func addFlags(to params: inout ParamsBuilder) {
        params.set("path", path)
    }
}

struct SystemMetrics: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Prometheus metrics; the text itself on a terminal (system.metrics).")
    static let method = "system.metrics"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

struct RPCGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc", abstract: "The daemon's OpenRPC document.", subcommands: [RPCDiscover.self])
}

struct RPCDiscover: MethodCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "Every method with its params (rpc.discover).")
    static let method = "rpc.discover"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}
