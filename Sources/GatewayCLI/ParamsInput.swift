import ArgumentParser
import GatewayJSON

#if canImport(Glibc)
    import Glibc
#endif

/// `--params JSON | @FILE | -`: the raw params object, which a command's own flags then amend.
package struct ParamsOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Params as a JSON object, @FILE to read it from a file, or - to read it from stdin; flags win over its keys.",
            valueName: "json|@file|-"))
    package var params: String?

    package init() {}

    /// The object `--params` names, or an empty one.
    package func object() throws(CLIError) -> JSONObject {
        guard let params else { return JSONObject() }
        return try JSONArgument.object(params, flag: "--params", allowStandardInput: true)
    }
}

/// Values of flags that take JSON (`--params`, object params such as `--policy`): inline text,
/// `@FILE`, or `-` for stdin where allowed.
package enum JSONArgument {
    /// The most a file or stdin may hold: far above any request the daemon accepts (1 MiB by
    /// default), low enough that a wrong file name cannot exhaust memory.
    static let maximumBytes = 16 << 20

    package static func object(_ argument: String, flag: String, allowStandardInput: Bool = false)
        throws(CLIError) -> JSONObject
    {
        let bytes: [UInt8]
        let source: String
        if argument == "-" && allowStandardInput {
            bytes = try InputFile.readStandardInput()
            source = "stdin"
        } else if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            bytes = try InputFile.read(path)
            source = path
        } else {
            bytes = Array(argument.utf8)
            source = "the value"
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw .data("\(flag): \(source) is not JSON (\(error))")
        }
        guard let object = value.objectValue else { throw .data("\(flag): \(source) is not a JSON object") }
        return object
    }
}

/// Whole files and stdin, read with plain system calls.
package enum InputFile {
    package static func read(_ path: String) throws(CLIError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .data("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        return try readAll(fd, name: path)
    }

    package static func readStandardInput() throws(CLIError) -> [UInt8] {
        try readAll(STDIN_FILENO, name: "stdin")
    }

    private static func readAll(_ fd: Int32, name: String) throws(CLIError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw .data("cannot read \(name): \(String(cString: strerror(errno)))") }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            guard bytes.count <= JSONArgument.maximumBytes else {
                throw .data("\(name) is larger than \(JSONArgument.maximumBytes) bytes")
            }
        }
    }
}

/// The params of one call: `--params` first, then each flag the operator gave, which replaces
/// the same key (SPEC 8: a flag wins).
package struct ParamsBuilder {
    package private(set) var params: JSONObject

    package init(_ base: JSONObject = JSONObject()) {
        params = base
    }

    package mutating func set(_ key: String, _ value: String?) {
        if let value { params[key] = .string(value) }
    }

    package mutating func set(_ key: String, _ value: Int?) {
        if let value { params[key] = JSONValue(value) }
    }

    /// A list flag given at least once; an absent one leaves `--params`' list alone.
    package mutating func set(_ key: String, _ values: [String]) {
        if !values.isEmpty { params[key] = JSONValue(values) }
    }

    /// An object flag: JSON text or `@FILE`.
    package mutating func setObject(_ key: String, _ argument: String?, flag: String) throws(CLIError) {
        if let argument { params[key] = .object(try JSONArgument.object(argument, flag: flag)) }
    }

    package mutating func set(_ key: String, object: JSONObject) {
        params[key] = .object(object)
    }

    package mutating func set(_ key: String, value: JSONValue) {
        params[key] = value
    }
}
