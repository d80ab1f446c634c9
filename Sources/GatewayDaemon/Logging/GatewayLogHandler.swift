import GatewayStore
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
        var line =
            journalPrefixes ? "<\(Self.priority(event.level))>" : "\(UTCTimestamp.now()) \(event.level.rawValue) "
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

/// The `--log-level` / `log.level` names, which are swift-log's.
enum LogLevels {
    static let names = Logger.Level.allCases.map(\.rawValue)
}

/// Whole-line writes to fd 2, serialized so concurrent lines never interleave.
package enum StandardError {
    private static let lock = Mutex(())

    package static func write(line: String) {
        let bytes = Array((line + "\n").utf8)
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
