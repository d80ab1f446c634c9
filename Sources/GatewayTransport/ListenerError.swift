/// Why the daemon could not start listening. Each ends the process with exit code 78.
public enum ListenerError: Error, CustomStringConvertible {
    case socketInUse(path: String)
    case cannotBind(path: String, reason: String)

    public var description: String {
        switch self {
        case .socketInUse(let path): "socket \(path) is in use by another live daemon"
        case .cannotBind(let path, let reason): "cannot listen on \(path): \(reason)"
        }
    }
}
