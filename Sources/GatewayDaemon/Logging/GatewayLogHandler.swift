import GatewayStore
import Logging

/// One line per event on stderr; under systemd (`JOURNAL_STREAM` set) each line starts with the
/// syslog priority `<N>` so journald keeps the level.
struct GatewayLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String
    let journalPrefixes: Bool

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = journalPrefixes ? "<\(Self.priority(event.level))>" : "\(Timestamp.now()) \(event.level.rawValue) "
        line += "\(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            line += merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        }
        StandardError.write(line: line.replacing("\n", with: " "))
    }

    /// sd-daemon(3) priorities.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
