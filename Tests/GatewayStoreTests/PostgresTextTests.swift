import Testing

@testable import GatewayStore

/// The text work PostgreSQL needs: `database.url` in libpq's form (SPEC 9), the services' `?`
/// placeholders numbered, and migration scripts cut into statements.
@Suite struct PostgresTextTests {
    @Test func unixSocketURL() throws {
        let location = try PostgresLocation(url: "postgresql://pms@/registry?host=/run/postgresql&port=5433")
        #expect(location.endpoint == .unixSocket(directory: "/run/postgresql", port: 5433))
        #expect(location.user == "pms")
        #expect(location.database == "registry")
        #expect(location.tls == .disable)
        #expect(location.description == "postgresql://pms@/registry?host=/run/postgresql&port=5433")
    }

    @Test func tcpURLWithTLSAndEscapes() throws {
        let location = try PostgresLocation(
            url: "postgres://pms%40mosip@db.example.org:6432/pms%20gw?sslmode=verify-full")
        #expect(location.endpoint == .tcp(host: "db.example.org", port: 6432))
        #expect(location.user == "pms@mosip")
        #expect(location.database == "pms gw")
        #expect(location.tls == .verifyFull)
        #expect(try PostgresLocation(url: "postgresql://u@[::1]/d").endpoint == .tcp(host: "::1", port: 5432))
        // libpq's defaults: TLS preferred over TCP, and the Debian server's socket without a host.
        #expect(try PostgresLocation(url: "postgresql://u@h/d").tls == .prefer)
        #expect(
            try PostgresLocation(url: "postgresql://u@/d").endpoint
                == .unixSocket(directory: "/var/run/postgresql", port: 5432))
    }

    @Test(arguments: [
        ("postgresql://u:secret@h/d", "password"), ("postgresql://h/d", "user"), ("postgresql://u@h", "database"),
        ("postgresql://u@h:99999/d", "port"), ("postgresql://u@h/d?sslmode=allow", "sslmode"),
        ("postgresql://u@h/d?application_name=x", "unknown parameter"), ("sqlite:///x", "postgresql://"),
        ("postgresql://u@/d?host=/s&sslmode=require", "Unix socket"), ("postgresql://u@h/%zz", "hex"),
    ])
    func badURLsSayWhatIsWrong(url: String, mentioning: String) {
        do {
            _ = try PostgresLocation(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.message.contains(mentioning), "\(error.message)")
            #expect(!error.message.contains("secret"))
        }
    }

    @Test func placeholdersAreNumberedOutsideQuotes() {
        #expect(PostgresScript.numberedPlaceholders("SELECT ? , ?") == "SELECT $1 , $2")
        #expect(
            PostgresScript.numberedPlaceholders("UPDATE t SET a = ?2 WHERE b = ?1")
                == "UPDATE t SET a = $2 WHERE b = $1")
        #expect(
            PostgresScript.numberedPlaceholders("SELECT '?', \"?\" FROM t WHERE x = ?")
                == "SELECT '?', \"?\" FROM t WHERE x = $1")
    }

    @Test func scriptsAreCutAtSemicolonsOutsideBodiesQuotesAndComments() {
        let script = """
            -- a comment; not a statement
            CREATE TABLE t (a TEXT DEFAULT 'x;y');
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no; never'; END $$;
            CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            ;
            """
        let statements = PostgresScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("DEFAULT 'x;y')"))
        #expect(statements[1].hasSuffix("END $$"))
        #expect(statements[2].hasSuffix("$body$"))
    }
}
