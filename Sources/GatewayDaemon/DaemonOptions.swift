/// The command line (SPEC 1): where the config is, and what overrides it.
public struct DaemonOptions: Sendable {
    public var configPath: String
    public var socketPath: String?
    public var databasePath: String?
    public var logLevel: String?

    public init(configPath: String, socketPath: String?, databasePath: String?, logLevel: String?) {
        self.configPath = configPath
        self.socketPath = socketPath
        self.databasePath = databasePath
        self.logLevel = logLevel
    }
}
