/// Where a PostgreSQL store lives (SPEC 9's `database.url`), in libpq's URL form:
/// `postgresql://user@host:port/dbname?sslmode=…` or, for a Unix socket,
/// `postgresql://user@/dbname?host=/socket/dir&port=5432`.
///
/// The password is never part of it: it comes from `database.passwordFile`, so a URL can be logged,
/// shown by `system.health` or put in a unit file without leaking anything.
package struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The directory holding the server's socket `.s.PGSQL.<port>`.
        case unixSocket(directory: String, port: Int)
    }

    /// libpq's `sslmode` values that mean something here. `prefer` (libpq's default) tries TLS and
    /// falls back to plain text; over a Unix socket TLS is never used.
    package enum TLSMode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyFull = "verify-full"
    }

    package var endpoint: Endpoint
    package var user: String
    package var database: String
    package var tls: TLSMode

    /// Whether `text` names a PostgreSQL database rather than a SQLite file (`--database` takes either).
    package static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    package init(endpoint: Endpoint, user: String, database: String, tls: TLSMode) {
        self.endpoint = endpoint
        self.user = user
        self.database = database
        self.tls = tls
    }

    /// Parses `url`; the error says which part is wrong and never repeats a password.
    package init(url: String) throws(StoreError) {
        guard Self.isURL(url) else { throw Self.invalid("it must start with postgresql://") }
        var rest = url.hasPrefix("postgres://") ? url.dropFirst(11) : url.dropFirst(13)
        var queryText: Substring = ""
        if let question = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }
        guard let at = authority.lastIndex(of: "@") else {
            throw Self.invalid("it must name a user (postgresql://USER@…)")
        }
        let userInfo = authority[..<at]
        guard !userInfo.contains(":") else {
            throw Self.invalid("it must not hold a password: put it in database.passwordFile")
        }
        let user = try Self.decode(userInfo)
        let hostPort = authority[authority.index(after: at)...]
        let database = try Self.decode(path)
        guard !user.isEmpty else { throw Self.invalid("the user is empty") }
        guard !database.isEmpty else { throw Self.invalid("it must name a database (…/DBNAME)") }

        var parameters: [String: String] = [:]
        for pair in queryText.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            guard ["host", "port", "sslmode"].contains(name) else {
                throw Self.invalid("unknown parameter \(name) (host, port and sslmode are understood)")
            }
            parameters[name] = parts.count == 2 ? try Self.decode(parts[1]) : ""
        }

        var host = ""
        var port = 5432
        if !hostPort.isEmpty {
            var hostText = hostPort
            if hostPort.hasPrefix("[") {
                // An IPv6 literal: [::1]:5432
                guard let close = hostPort.firstIndex(of: "]") else { throw Self.invalid("unclosed [ in the host") }
                hostText = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
                let after = hostPort[hostPort.index(after: close)...]
                if after.hasPrefix(":") { port = try Self.port(after.dropFirst()) }
            } else if let colon = hostPort.lastIndex(of: ":") {
                hostText = hostPort[..<colon]
                port = try Self.port(hostPort[hostPort.index(after: colon)...])
            }
            host = try Self.decode(hostText)
        }
        if let portText = parameters["port"] { port = try Self.port(Substring(portText)) }
        if let hostParameter = parameters["host"] { host = hostParameter }

        let mode = parameters["sslmode"] ?? (host.hasPrefix("/") || host.isEmpty ? "disable" : "prefer")
        guard let tls = TLSMode(rawValue: mode) else {
            throw Self.invalid("sslmode \(mode) is not one of disable, prefer, require, verify-full")
        }
        // libpq's own default without a host: the Debian server's socket directory.
        if host.isEmpty { host = "/var/run/postgresql" }
        if host.hasPrefix("/") {
            guard tls == .disable || tls == .prefer else {
                throw Self.invalid("sslmode \(mode) cannot be met over a Unix socket")
            }
            self.init(endpoint: .unixSocket(directory: host, port: port), user: user, database: database, tls: .disable)
        } else {
            self.init(endpoint: .tcp(host: host, port: port), user: user, database: database, tls: tls)
        }
    }

    /// The URL again, in one canonical spelling (for logs and `system.health`).
    package var description: String {
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "postgresql://\(user)@\(shownHost):\(port)/\(database)?sslmode=\(tls.rawValue)"
        case .unixSocket(let directory, let port):
            return "postgresql://\(user)@/\(database)?host=\(directory)&port=\(port)"
        }
    }

    private static func port(_ text: Substring) throws(StoreError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw invalid("port \(text) is not a port number")
        }
        return port
    }

    /// Percent-decoding, as libpq applies it to every part.
    private static func decode(_ text: Substring) throws(StoreError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw invalid("a % is not followed by two hex digits")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw invalid("not UTF-8 once decoded") }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func invalid(_ why: String) -> StoreError {
        StoreError(.configuration, "database.url is not a PostgreSQL URL: \(why)")
    }
}
