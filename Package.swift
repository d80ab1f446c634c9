// swift-tools-version: 6.2
import PackageDescription

/// Our own targets build with strict settings; dependencies keep theirs.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .unsafeFlags(["-warnings-as-errors"]),
    // Lets release builds specialise generics across our modules: the request path crosses five
    // (RPCProcessor<CallContext>, Store.read<T>), and unspecialised it looked up generic metadata
    // at run time on every call (7% of a 2-core read profile).
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let testing: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "pms-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pms-gatewayd", targets: ["pms-gatewayd"]),
        .executable(name: "pms-gateway", targets: ["pms-gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Without its default "JSON" trait: that trait links full Foundation (JSONSerialization).
        // The config file is parsed by our own JSON reader and handed over as an in-memory provider.
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // PostgreSQL (SPEC 9): the store's second backend. It imports full Foundation, the one
        // dependency that brings it into the daemon.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
    ],
    targets: [
        // C shims: the few system declarations Swift cannot import directly.
        .target(name: "CGatewayShims"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // A VFS that gathers the writer's WAL frames into one write per commit (wal_buffer.c).
        .target(name: "CSQLiteWALBuffer", dependencies: ["CSQLite"]),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // Layer 0: JSON values that keep number text exactly, plus RFC 8785 canonical form.
        .target(name: "GatewayJSON", swiftSettings: strict),
        // Layer 1: JSON-RPC 2.0 messages, errors, the method table and OpenRPC.
        .target(name: "JSONRPC", dependencies: ["GatewayJSON"], swiftSettings: strict),
        // Layer 1: the Unix socket, NDJSON framing, peer credentials, systemd hand-off.
        .target(
            name: "GatewayTransport",
            dependencies: [
                "CGatewayShims",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Hashing, JWK parsing, DER encoding and random keys over libcrypto.
        .target(name: "GatewayCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        // Layer 3: SQLite, migrations, the single writer with group commit, the journal.
        .target(
            name: "GatewayStore",
            dependencies: [
                "CSQLite", "CSQLiteWALBuffer", "CGatewayShims", "GatewayJSON", "GatewayCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // Layer 2: the domain services (partners, policies, clients, licenses) as actors.
        .target(
            name: "GatewayServices",
            dependencies: [
                "GatewayJSON", "GatewayCrypto", "GatewayStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        // Layer 2: delivery of outbox rows to eSignet and IDA's WebSub hub, at least once, in order per key.
        .target(
            name: "GatewayDelivery",
            dependencies: [
                "GatewayStore", "GatewayJSON", "GatewayCrypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Wiring: config, the RPC method table, the server lifecycle.
        .target(
            name: "GatewayDaemon",
            dependencies: [
                "GatewayJSON", "JSONRPC", "GatewayTransport", "GatewayCrypto", "GatewayStore", "GatewayServices",
                "GatewayDelivery",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "pms-gatewayd",
            dependencies: [
                "GatewayDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The operator's command line (SPEC 8): a client of the socket that shares the JSON and
        // crypto targets with the daemon, not its process. The commands, the socket client, output
        // formatting and key files live in the library so tests can drive them in process.
        .target(
            name: "GatewayCLI",
            dependencies: [
                "GatewayJSON", "GatewayCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "pms-gateway", dependencies: ["GatewayCLI"], swiftSettings: strict),

        // Tests get the language mode but not -warnings-as-errors: Swift Testing's macro expansions
        // emit a "@const" warning on this toolchain that would otherwise fail every test target.

        // What every test target shares: temporary directories, polling with deadlines, the
        // package's paths, log capture, child processes, direct SQLite access. A plain target,
        // built only for the tests.
        .target(
            name: "GatewayTestSupport",
            dependencies: [
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/GatewayTestSupport",
            swiftSettings: testing
        ),
        // The PostgreSQL server that `make test` starts (scripts/pg-test-server.sh): its address from
        // the environment, connections over its Unix socket, scratch databases per test. Its own
        // target so that only the suites that need PostgreSQL link postgres-nio (and Foundation).
        .target(
            name: "PostgresTestSupport",
            dependencies: [
                "GatewayTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PostgresTestSupport",
            swiftSettings: testing
        ),
        .testTarget(name: "GatewayJSONTests", dependencies: ["GatewayJSON"], swiftSettings: testing),
        // The test server itself: reachable, PostgreSQL 15, scratch databases, errors; and the script.
        .testTarget(
            name: "PostgresServerTests",
            dependencies: [
                "PostgresTestSupport", "GatewayTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testing
        ),
        // In-process tests of the transport: framing and the per-connection pipeline on EmbeddedChannel.
        .testTarget(
            name: "GatewayTransportTests",
            dependencies: [
                "GatewayTransport", "GatewayTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: testing
        ),
        // In-process tests of the JSON-RPC layer: RPCProcessor and MethodTable with test methods.
        .testTarget(
            name: "JSONRPCTests", dependencies: ["JSONRPC", "GatewayJSON", "GatewayTestSupport"], swiftSettings: testing
        ),
        .testTarget(
            name: "GatewayStoreTests",
            dependencies: [
                "GatewayStore", "GatewayJSON", "GatewayCrypto", "GatewayTestSupport", "PostgresTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testing
        ),
        .testTarget(
            name: "GatewayServicesTests",
            dependencies: [
                "GatewayServices", "GatewayStore", "GatewayJSON", "GatewayCrypto", "GatewayDaemon",
                "GatewayTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: testing
        ),
        .testTarget(
            name: "GatewayDeliveryTests",
            dependencies: [
                "GatewayDelivery", "GatewayStore", "GatewayJSON", "GatewayCrypto", "GatewayTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: testing
        ),
        // In-process tests of the command line: argument mapping, socket resolution, key files,
        // tables. The runs of the binary against real daemons are in GatewayDaemonTests (CLI*).
        .testTarget(
            name: "GatewayCLITests",
            dependencies: ["GatewayCLI", "GatewayJSON", "GatewayCrypto", "GatewayTestSupport"],
            swiftSettings: testing
        ),
        .testTarget(
            name: "GatewayCryptoTests", dependencies: ["GatewayCrypto", "GatewayTestSupport"], swiftSettings: testing
        ),
        // In-process tests of the daemon's wiring: config loading, access policy, error mapping.
        .testTarget(
            name: "GatewayDaemonUnitTests",
            dependencies: [
                "GatewayDaemon", "GatewayServices", "GatewayStore", "GatewayDelivery", "GatewayTransport", "JSONRPC",
                "GatewayJSON", "GatewayTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testing
        ),
        // Real pms-gatewayd processes on real sockets (every suite tagged `.process`); no
        // dependency on the daemon's library, only on its binary.
        .testTarget(
            name: "GatewayDaemonTests",
            dependencies: ["GatewayJSON", "GatewayCrypto", "GatewayTestSupport", "PostgresTestSupport"],
            swiftSettings: testing
        ),
    ]
)
