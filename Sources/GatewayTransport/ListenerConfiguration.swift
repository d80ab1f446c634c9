/// How the listening socket is set up.
public struct ListenerConfiguration: Sendable {
    public var socketPath: String
    /// File mode for a socket we bind ourselves (an adopted systemd socket keeps its own).
    public var socketMode: UInt32
    public var maxLineBytes: Int
    public var maxConnections: Int
    public var idleTimeoutSeconds: Int64

    public init(
        socketPath: String, socketMode: UInt32, maxLineBytes: Int, maxConnections: Int, idleTimeoutSeconds: Int64
    ) {
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.maxLineBytes = maxLineBytes
        self.maxConnections = maxConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }
}
