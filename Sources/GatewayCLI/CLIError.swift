/// Everything that ends a `pms-gateway` run unsuccessfully, and the one place that turns it into
/// the line on stderr and the exit status (SPEC 8, sysexits).
///
/// Usage errors found by the argument parser itself never become this type: the parser reports
/// them and exits 64 on its own, which is the same status ``usage(_:)`` gets.
package enum CLIError: Error, Equatable, Sendable {
    /// The daemon answered with a JSON-RPC error.
    case daemon(code: Int, errorCode: String, message: String)
    /// Options that make no sense together, or a value the parser could not judge.
    case usage(String)
    /// Input that cannot be used: a key file that is encrypted or unreadable, `--params` or an
    /// object flag that is not a JSON object.
    case data(String)
    /// Nobody answers on the socket (no file, nothing listening, or the connection dropped
    /// before an answer came).
    case unavailable(String)
    /// The socket exists but this user may not connect to it.
    case permission(String)

    /// sysexits(3): what scripts branch on.
    package var exitCode: Int32 {
        switch self {
        case .daemon(_, let errorCode, _): errorCode == "GW_FORBIDDEN" ? 77 : 1
        case .usage: 64
        case .data: 65
        case .unavailable: 69
        case .permission: 77
        }
    }

    /// The one line written to stderr. A daemon error keeps SPEC 8's exact form so scripts can
    /// split it; the others say `error:` and what went wrong.
    package var line: String {
        switch self {
        case .daemon(let code, let errorCode, let message): "error \(code) \(errorCode): \(message)"
        case .usage(let message), .data(let message), .unavailable(let message), .permission(let message):
            "error: \(message)"
        }
    }
}
