#if canImport(Glibc)
    import Glibc
#endif

/// How a result is printed: for people (tables, colour on a terminal) or for programs (JSON).
package struct OutputStyle: Sendable, Equatable {
    /// One JSON document instead of tables.
    package var json: Bool
    /// ANSI colour in tables.
    package var colour: Bool
    /// JSON indented for reading; compact (one line) when stdout is a pipe or file.
    package var prettyJSON: Bool

    package init(json: Bool, colour: Bool, prettyJSON: Bool) {
        self.json = json
        self.colour = colour
        self.prettyJSON = prettyJSON
    }

    /// SPEC 8: tables only on a terminal, JSON otherwise or with `--json`. Colour only on a
    /// terminal, never with `NO_COLOR` set (whatever its value) and, as systemctl does, not when
    /// `TERM` is `dumb`.
    package static func choose(jsonFlag: Bool, stdoutIsTerminal: Bool, environment: (String) -> String?) -> Self {
        let colour = stdoutIsTerminal && environment("NO_COLOR") == nil && environment("TERM") != "dumb"
        return OutputStyle(json: jsonFlag || !stdoutIsTerminal, colour: colour, prettyJSON: stdoutIsTerminal)
    }

    /// The style for this process's stdout and environment.
    package static func current(jsonFlag: Bool) -> Self {
        choose(jsonFlag: jsonFlag, stdoutIsTerminal: isatty(STDOUT_FILENO) == 1) { name in
            getenv(name).map { String(cString: $0) }
        }
    }
}

/// Writing to the standard streams with write(2), whole texts at a time: no stdio buffer to
/// flush before exit, and no shared C stream globals, which strict concurrency rejects.
package enum Console {
    /// `text`, with a newline added when it has none.
    package static func out(_ text: String) {
        write(STDOUT_FILENO, text.hasSuffix("\n") || text.isEmpty ? text : text + "\n")
    }

    package static func error(_ line: String) {
        write(STDERR_FILENO, line + "\n")
    }

    private static func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }  // a closed pipe: nobody is reading any more
            offset += written
        }
    }
}
