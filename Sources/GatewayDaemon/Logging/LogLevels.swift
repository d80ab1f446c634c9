import Logging

/// The `--log-level` / `log.level` names, which are swift-log's.
enum LogLevels {
    static let names = Logger.Level.allCases.map(\.rawValue)
}
