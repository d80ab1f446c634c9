import ArgumentParser
import GatewayJSON

/// The everyday calls under short names (SPEC 8), and `call` for any method at all.
struct Health: MethodCommand {
    static let configuration = CommandConfiguration(abstract: "Same as `system health`.")
    static let method = "system.health"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

struct Methods: MethodCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every method the daemon serves, with its params (rpc.discover).")
    static let method = "rpc.discover"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

struct Preflight: MethodCommand {
    static let configuration = CommandConfiguration(abstract: "Same as `system preflight`.")
    static let method = "system.preflight"
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions
}

/// `metrics`: the exposition text itself, for `promtool` and pipes, on a terminal or not; only an
/// explicit `--json` prints the result object instead.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prometheus metrics as exposition text (system.metrics), also into pipes.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let invocation = Invocation(global)
        let result = try invocation.connect().call("system.metrics", JSONObject())
        if global.json {
            invocation.print(result, method: "system.metrics")
        } else if let text = result["text"]?.stringValue {
            Console.out(text)
        } else {
            throw CLIError.unavailable("system.metrics answered without text")
        }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database online into the daemon's backup directory (system.backup).")
    @Argument(help: "A new file name in the backup directory, or an absolute path directly inside it.")
    var path: String
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Invocation(global).perform("system.backup", ["path": .string(path)])
    }
}

struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call any method with raw params.",
        discussion: "Prints the result like the method's own subcommand; `pms-gateway methods` lists the methods.")
    @Argument(help: "The method, e.g. client.get.") var method: String
    @OptionGroup var input: ParamsOption
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Invocation(global).perform(method, try input.object())
    }
}
