import Foundation
import GatewayJSON
import GatewayTestSupport
import Logging
import NIOPosix
import PostgresNIO
import PostgresTestSupport

/// What the tests of several daemons on one PostgreSQL database (SPEC 9) share.
enum SeveralHosts {
    /// Two daemons on `database`, named `host-a` and `host-b` (`server.nodeName`), each with
    /// `overrides(name)` merged into its config.
    static func pair(
        on database: TemporaryPostgresDatabase, overrides: (String) -> [String: JSONValue] = { _ in [:] }
    ) throws -> (TestDaemon, TestDaemon) {
        func start(_ name: String) throws -> TestDaemon {
            var config = overrides(name)
            var server: JSONObject = ["nodeName": .string(name)]
            if case .object(let given)? = config["server"] {
                for (key, value) in given { server[key] = value }
            }
            config["server"] = .object(server)
            return try TestDaemon(overrides: config, store: .postgresql, sharing: database)
        }
        return (try start("host-a"), try start("host-b"))
    }

    /// `count` open connections, alternately to `a` and `b`, so that requests written to them
    /// back to back meet in both daemons at once.
    static func connections(_ count: Int, spreadOver a: TestDaemon, _ b: TestDaemon) throws -> [RPCClient] {
        try (0..<count).map { index in try (index.isMultiple(of: 2) ? a : b).client() }
    }

    /// Sends `calls` as JSON-RPC batches of at most 100 (SPEC 2's default `maxBatch`), one batch
    /// in flight at a time, and returns each call's whole response in the order of `calls`.
    /// Thousands of calls take a few round trips instead of thousands.
    static func batched(_ client: RPCClient, _ calls: [(method: String, params: JSONValue)]) throws -> [JSONValue] {
        var responses: [JSONValue] = []
        responses.reserveCapacity(calls.count)
        var start = 0
        while start < calls.count {
            let chunk = calls[start..<min(start + 100, calls.count)]
            let batch = chunk.enumerated().map { offset, call -> JSONValue in
                [
                    "jsonrpc": "2.0", "id": JSONValue(start + offset), "method": .string(call.method),
                    "params": call.params,
                ]
            }
            try client.send(JSONValue.array(batch).serialized() + "\n")
            guard let replies = try client.readJSON().arrayValue, replies.count == chunk.count else {
                throw TestFailure("a batch of \(chunk.count) was not answered with as many replies")
            }
            var byID: [Int: JSONValue] = [:]
            for reply in replies { byID[reply["id"]?.intValue ?? -1] = reply }
            for index in chunk.indices {
                guard let reply = byID[index] else { throw TestFailure("no reply to call \(index) of a batch") }
                responses.append(reply)
            }
            start += chunk.count
        }
        return responses
    }

    /// ``batched(_:_:)``, failing on the first error: every call's `result`.
    static func results(_ client: RPCClient, _ calls: [(method: String, params: JSONValue)]) throws -> [JSONValue] {
        try batched(client, calls).map { response in
            guard let result = response["result"] else { throw TestFailure("call failed: \(response.serialized())") }
            return result
        }
    }

    /// Every row of `outbox.list` (all statuses and targets), paging with `after`.
    static func outbox(_ client: RPCClient) throws -> [JSONValue] {
        var entries: [JSONValue] = []
        var after = 0
        while true {
            let page =
                try client.call("outbox.list", ["after": JSONValue(after), "limit": 1000])["entries"]?
                .arrayValue ?? []
            entries += page
            guard let last = page.last?["seq"]?.intValue, page.count == 1000 else { return entries }
            after = last
        }
    }
}

/// A look at a test database from outside the daemons, over one connection of its own: which
/// outbox rows a daemon holds claimed, say, which no method shows. Every cell comes back as text
/// (cast columns with `::text`), nil for NULL.
final class PostgresProbe {
    private let connection: PostgresConnection

    init(_ database: TemporaryPostgresDatabase) throws {
        connection = try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(),
            configuration: database.server.configuration(database: database.name), id: 1,
            logger: PostgresTestServer.logger
        ).wait()
    }

    func rows(_ sql: String) throws -> [[String?]] {
        let result = try connection.query(PostgresQuery(unsafeSQL: sql), logger: PostgresTestServer.logger).wait()
        return try result.rows.map { row in
            try row.map { cell in cell.bytes == nil ? nil : try cell.decode(String.self) }
        }
    }

    deinit {
        try? connection.close().wait()
    }
}
