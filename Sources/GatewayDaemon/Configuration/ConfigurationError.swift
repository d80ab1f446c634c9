/// A configuration problem. The daemon prints it as one line on stderr and exits 78 (EX_CONFIG).
public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
