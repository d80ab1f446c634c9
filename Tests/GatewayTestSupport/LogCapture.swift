import InMemoryLogging
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Every log line a component writes, kept by swift-log's `InMemoryLogHandler`, for the
/// "never logs a key, a token or a body" checks and the "one line per failure" counts.
///
/// With `TEST_LOG` set in the environment the lines also go to stdout, to watch a test run.
public final class LogCapture: Sendable {
    private let handler = InMemoryLogHandler()

    public init() {}

    /// A logger at `.trace` that records into this capture.
    public var logger: Logger {
        let handler = self.handler
        var logger = Logger(label: "test") { label in
            guard getenv("TEST_LOG") != nil else { return handler }
            return MultiplexLogHandler([handler, StreamLogHandler.standardOutput(label: label)])
        }
        logger.logLevel = .trace
        return logger
    }

    public var entries: [InMemoryLogHandler.Entry] { handler.entries }

    /// Each entry as one line: `level message key=value ...`, metadata sorted by key.
    public var lines: [String] {
        entries.map { entry in
            let metadata = entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return (["\(entry.level)", "\(entry.message)"] + metadata).joined(separator: " ")
        }
    }

    /// Every line, joined by newlines.
    public var text: String { lines.joined(separator: "\n") }
}

/// A logger that drops everything.
public let quietLogger = Logger(label: "quiet") { _ in SwiftLogNoOpLogHandler() }
