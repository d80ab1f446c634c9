import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// SPEC 1, logs: one line per event on stderr; under systemd (`JOURNAL_STREAM` set) each line
/// starts with the syslog priority `<N>` so journald keeps the level.
@Suite(.tags(.process)) struct LoggingTests {
    /// Starts a daemon, makes it log at several levels (start, a failed reload, stop), and returns
    /// its stderr lines.
    static func logLines(environment: [String: String]) throws -> [String] {
        let directory = try TemporaryDirectory()
        let daemon = try TestDaemon(
            overrides: ["mappings": ["identity": .string("\(directory)/identity-mapping.json")]],
            environment: environment,
            directory: directory, wait: false
        )
        // The identity mapping exists at start and is removed before SIGHUP: the reload logs an error.
        try FileManager.default.copyItem(
            atPath: "\(TestPaths.configDirectory)/identity-mapping.json", toPath: "\(directory)/identity-mapping.json"
        )
        try daemon.waitUntilReady()
        try FileManager.default.removeItem(atPath: "\(directory)/identity-mapping.json")
        daemon.signal(SIGHUP)
        #expect(Poll.until { daemon.stderr().contains("reload failed") })
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
        return daemon.stderr().split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func journalStreamLinesCarryPriorityPrefixes() throws {
        let lines = try Self.logLines(environment: ["JOURNAL_STREAM": "1:2"])
        #expect(lines.count >= 3)
        for line in lines {
            #expect(line.wholeMatch(of: /<[0-7]>\S.*/) != nil, "no priority prefix: \(line)")
        }
        // Levels survive: the failed reload is an error (3), the start-up notice is 5.
        #expect(lines.contains { $0.hasPrefix("<3>") && $0.contains("reload failed") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("<5>") && $0.contains("listening") }, "\(lines)")
    }

    @Test func withoutJournalStreamThereAreNoPrefixes() throws {
        let lines = try Self.logLines(environment: [:])
        #expect(lines.count >= 3)
        #expect(lines.allSatisfy { !$0.hasPrefix("<") && !$0.isEmpty }, "\(lines)")
        #expect(lines.contains { $0.contains("error") && $0.contains("reload failed") })
    }
}
