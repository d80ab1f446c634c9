import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// What `make install` puts beside the binary for the command line (scripts/install-cli.sh):
/// completions a shell accepts and the man pages, under DESTDIR.
@Suite(.tags(.process)) struct CLIInstallTests {
    @Test func installPutsTheBinaryCompletionsAndManPagesInPlace() throws {
        let stage = try TemporaryDirectory(prefix: "pgw-install")
        // The plugin's layout, one directory per executable; `make install` runs the plugin.
        try stage.subdirectory("manual/pms-gateway")
        try stage.write("manual/pms-gateway/pms-gateway.1", ".Dt PMS-GATEWAY 1\n")
        let output = try ShellCommand.run(
            "\(TestPaths.packageRoot)/scripts/install-cli.sh",
            [TestPaths.cli, stage.file("manual"), stage.file("root"), "/usr/local"])
        #expect(output.status == 0, "\(output)")
        let prefix = stage.file("root/usr/local")

        let installed = try ShellCommand.run("\(prefix)/bin/pms-gateway", ["--help"])
        #expect(installed.status == 0)
        #expect(installed.stdout.contains("partner"), "\(installed)")
        #expect(access("\(prefix)/bin/pms-gateway", X_OK) == 0)

        let bash = "\(prefix)/share/bash-completion/completions/pms-gateway"
        #expect(try ShellCommand.run("/bin/bash", ["-n", bash]).status == 0, "bash accepts the completion script")
        #expect(try String(contentsOfFile: bash, encoding: .utf8).contains("map-policy"))
        let zsh = try String(contentsOfFile: "\(prefix)/share/zsh/site-functions/_pms-gateway", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef pms-gateway"))
        let fish = try String(
            contentsOfFile: "\(prefix)/share/fish/vendor_completions.d/pms-gateway.fish", encoding: .utf8)
        #expect(
            fish.contains("complete -c 'pms-gateway'") || fish.contains("complete -c pms-gateway"),
            "\(fish.prefix(300))")
        #expect(FileManager.default.fileExists(atPath: "\(prefix)/share/man/man1/pms-gateway.1"))

        // Without the man page (the plugin did not run) the install fails instead of skipping it.
        let without = try ShellCommand.run(
            "\(TestPaths.packageRoot)/scripts/install-cli.sh",
            [TestPaths.cli, stage.file("nowhere"), stage.file("root2"), "/usr/local"])
        #expect(without.status != 0 && without.stderr.contains("no man page"), "\(without)")
    }

    /// `make install` wires the script in after the plugin (a dry run: the release build itself
    /// is too slow for the test suite; the closing note records a real run).
    @Test func makeInstallRunsThePluginAndTheScript() throws {
        let output = try ShellCommand.sh(
            "cd \(TestPaths.packageRoot) && make -n install DESTDIR=/nonexistent-stage SWIFT=swift")
        #expect(output.status == 0, "\(output)")
        let plugin = try #require(output.stdout.range(of: "package generate-manual"), "\(output.stdout)")
        let script = try #require(output.stdout.range(of: "scripts/install-cli.sh"), "\(output.stdout)")
        #expect(plugin.lowerBound < script.lowerBound)
        #expect(output.stdout.contains("--product pms-gateway "))
    }
}
