import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// `pms-gateway`: the operator's command line (SPEC 8), one subcommand per daemon method.
package struct PMSGateway: ParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "pms-gateway",
        abstract: "Operate a pms-gateway daemon over its Unix socket.",
        discussion: """
            Every daemon method has a subcommand: the method name split at the dot, camelCase in \
            kebab-case (partner.mapPolicy is `partner map-policy`); its flags are the params in \
            kebab-case, and --params JSON|@FILE|- supplies the rest. `call METHOD` calls any method.

            --socket PATH and --json work before or after the subcommand. Output is a table on a \
            terminal (colour unless NO_COLOR is set) and the result as one JSON document otherwise.

            Exit status: 0 ok, 1 the daemon answered an error, 64 bad usage, 65 unusable input, \
            69 nobody answers on the socket, 77 not allowed (GW_FORBIDDEN).
            """,
        subcommands: [
            Health.self, Methods.self, Preflight.self, Metrics.self, Backup.self, Call.self,
            SystemGroup.self, RPCGroup.self, PartnerGroup.self, PolicyGroup.self, ClientGroup.self, KeyGroup.self,
            LicenseGroup.self, JournalGroup.self, OutboxGroup.self,
        ])

    package init() {}

    /// The process's entry point: parse, run, and turn any failure into its line and status.
    /// The mapping of ``CLIError`` is the only place exit statuses come from; the parser's own
    /// errors (unknown flags, missing arguments) exit 64 through it as well.
    package static func runAndExit(_ arguments: [String]) -> Never {
        do {
            var command = try parseAsRoot(GlobalOptions.hoisted(arguments))
            try command.run()
            Glibc.exit(0)
        } catch let error as CLIError {
            Console.error(error.line)
            Glibc.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
