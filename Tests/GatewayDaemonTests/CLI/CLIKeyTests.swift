import Foundation
import GatewayJSON
import GatewayTestSupport
import Testing

/// `--key FILE` with keys made by `openssl` (SPEC 8): every PEM form of a key gives the client
/// id `key.clientId` gives its JWK, and the private half never leaves the command line.
@Suite(.tags(.process)) struct CLIKeyTests {
    enum Kind: String, CaseIterable, Sendable {
        case rsa, p256, p384, p521, ed25519

        var genpkey: String {
            switch self {
            case .rsa: "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"
            case .p256: "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
            case .p384: "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"
            case .p521: "-algorithm EC -pkeyopt ec_paramgen_curve:P-521"
            case .ed25519: "-algorithm ED25519"
            }
        }

        var curve: String? {
            switch self {
            case .p256: "P-256"
            case .p384: "P-384"
            case .p521: "P-521"
            default: nil
            }
        }
    }

    /// The bytes of the colon-separated hex block under `label:` in `openssl ... -text` output.
    static func hexBlock(_ text: String, _ label: String) throws -> [UInt8] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.lowercased().hasPrefix(label.lowercased() + ":") }) else {
            throw TestFailure("no \(label) in \(text)")
        }
        let hex = lines[(start + 1)...].prefix { $0.hasPrefix(" ") }.joined()
            .filter { !$0.isWhitespace && $0 != ":" }
        return stride(from: 0, to: hex.count, by: 2).map { offset in
            let begin = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[begin..<hex.index(begin, offsetBy: 2)], radix: 16) ?? 0
        }
    }

    static func base64URL(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    /// The JWK of `pub.pem`, read from `openssl pkey -pubin -text`: independent of the command
    /// line's PEM reader.
    static func jwk(_ kind: Kind, directory: TemporaryDirectory) throws -> JSONValue {
        let text = try Shell.run("openssl pkey -pubin -in \(directory.file("pub.pem")) -text -noout")
        switch kind {
        case .rsa:
            let modulus = try hexBlock(text, "Modulus").drop { $0 == 0 }
            #expect(text.contains("Exponent: 65537 (0x10001)"))
            return ["kty": "RSA", "n": .string(base64URL(modulus)), "e": "AQAB"]
        case .ed25519:
            return ["kty": "OKP", "crv": "Ed25519", "x": .string(base64URL(try hexBlock(text, "pub")))]
        case .p256, .p384, .p521:
            let point = try hexBlock(text, "pub")
            let half = (point.count - 1) / 2
            return [
                "kty": "EC", "crv": .string(kind.curve ?? ""), "x": .string(base64URL(point[1...half])),
                "y": .string(base64URL(point[(half + 1)...])),
            ]
        }
    }

    @Test(arguments: Kind.allCases)
    func everyPEMFormGivesTheClientIdOfItsJWK(_ kind: Kind) throws {
        let daemon = try TestDaemon()
        let directory = daemon.scratch
        var script = """
            cd \(directory.path)
            openssl genpkey \(kind.genpkey) -out pkcs8.pem
            openssl pkey -in pkcs8.pem -pubout -out pub.pem
            """
        var forms = ["pkcs8.pem": "PRIVATE KEY", "pub.pem": "PUBLIC KEY"]
        if kind == .rsa {
            script += "\nopenssl rsa -in pkcs8.pem -traditional -out traditional.pem"
            script += "\nopenssl rsa -in pkcs8.pem -RSAPublicKey_out -out pkcs1.pem"
            forms["traditional.pem"] = "RSA PRIVATE KEY"
            forms["pkcs1.pem"] = "RSA PUBLIC KEY"
        } else if kind.curve != nil {
            script += "\nopenssl ec -in pkcs8.pem -out traditional.pem"
            forms["traditional.pem"] = "EC PRIVATE KEY"
        }
        try Shell.run("( \(script.replacing("\n", with: " && ")) ) 2>/dev/null")
        // SPEC 4.4 spelled out with the openssl command line.
        let formula = try Shell.run(
            "openssl pkey -in \(directory.file("pub.pem")) -pubin -outform DER"
                + (kind == .ed25519 ? " | tail -c 32" : "")
                + " | base64 -w0 | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\\n'")
        let fromJWK = try daemon.client().call("key.clientId", ["publicKey": try Self.jwk(kind, directory: directory)])
        #expect(fromJWK["clientId"] == .string(formula))

        let cli = CLI(socket: daemon.socketPath)
        for (file, label) in forms {
            let pem = try String(contentsOfFile: directory.file(file), encoding: .utf8)
            #expect(pem.hasPrefix("-----BEGIN \(label)-----"), "\(file): \(pem.prefix(40))")
            let result = try cli.json(["key", "client-id", "--key", directory.file(file)])
            #expect(result == fromJWK, "\(kind) \(label)")
        }
        // The JWK file itself, as `--key` and as `--public-key @FILE`.
        try directory.write("key.jwk", try Self.jwk(kind, directory: directory).serialized())
        #expect(try cli.json(["key", "client-id", "--key", directory.file("key.jwk")]) == fromJWK)
        #expect(try cli.json(["key", "client-id", "--public-key", "@" + directory.file("key.jwk")]) == fromJWK)
    }

    /// A stand-in daemon: accepts one connection, records the request line, answers `result`.
    static func recordRequest(
        socket: String, arguments: [String], result: String, directory: TemporaryDirectory
    ) throws -> (request: String, stdout: String, stderr: String, status: Int32) {
        let listener = listening(socket)
        defer { close(listener) }
        let process = try ChildProcess(
            executable: TestPaths.cli, arguments: arguments + ["--socket", socket],
            environment: ChildProcess.environment([:]),
            stdout: .file(directory.file("out")), stderr: .file(directory.file("err")))
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 20_000) == 1 else {
            process.killAndReap()
            throw TestFailure("the command line never connected")
        }
        let connection = accept(listener, nil, nil)
        defer { close(connection) }
        var received: [UInt8] = []
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while !received.contains(UInt8(ascii: "\n")) {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += chunk[..<count]
        }
        let request = String(decoding: received, as: UTF8.self)
        let id = (try? JSONValue.parse(request))?["id"]?.serialized() ?? "null"
        let reply = Array("{\"jsonrpc\":\"2.0\",\"id\":\(id),\"result\":\(result)}\n".utf8)
        _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard process.waitForExit(timeout: .seconds(20)) else { throw TestFailure("the command line did not exit") }
        return (
            request, (try? String(contentsOfFile: directory.file("out"), encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: directory.file("err"), encoding: .utf8)) ?? "", process.terminationStatus
        )
    }

    static func listening(_ path: String) -> Int32 {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        _ = withUnixSocketAddress(path) { bind(fd, $0, $1) }
        listen(fd, 4)
        return fd
    }

    /// What the daemon would receive for a private key file: only public members, and no byte of
    /// the private scalar, exponent or primes in any spelling, nor of the PEM text; nothing of
    /// them on stdout or stderr either.
    @Test(arguments: [Kind.rsa, .p384, .ed25519])
    func thePrivateHalfNeverLeavesTheProcess(_ kind: Kind) throws {
        let directory = try TemporaryDirectory()
        try Shell.run("openssl genpkey \(kind.genpkey) -out \(directory.file("key.pem")) 2>/dev/null")
        let text = try Shell.run("openssl pkey -in \(directory.file("key.pem")) -text -noout")
        let secrets: [[UInt8]] =
            kind == .rsa
            ? try ["privateExponent", "prime1", "prime2", "exponent1", "exponent2", "coefficient"].map {
                try Self.hexBlock(text, $0).drop { $0 == 0 }.map { $0 }
            } : [try Self.hexBlock(text, "priv")]
        #expect(secrets.allSatisfy { $0.count >= 16 })
        let pemBody = try String(contentsOfFile: directory.file("key.pem"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)

        let publicMembers: Set<String> = ["kty", "n", "e", "crv", "x", "y"]
        let runs = [
            ["key", "client-id", "--key", directory.file("key.pem")],
            ["client", "create", "--key", directory.file("key.pem"), "--name", "RP", "--params", #"{"policyId":"a"}"#],
        ]
        for arguments in runs {
            let run = try Self.recordRequest(
                socket: directory.file("fake.sock"), arguments: arguments,
                result: #"{"clientId":"x","status":"ACTIVE"}"#,
                directory: directory)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            let request = try JSONValue.parse(run.request)
            let publicKey = try #require(request["params"]?["publicKey"]?.objectValue)
            #expect(Set(publicKey.keys).isSubset(of: publicMembers), "\(publicKey.keys)")
            for output in [run.request, run.stdout, run.stderr] {
                for secret in secrets {
                    let hex = secret.map { String(format: "%02x", $0) }.joined()
                    for spelling in [Self.base64URL(secret), Data(secret).base64EncodedString(), hex] {
                        #expect(!output.contains(spelling), "a private value reached the output")
                    }
                }
                for line in pemBody { #expect(!output.contains(line), "the PEM text reached the output") }
            }
        }
    }
}
