// Package countytest gives the county's tests a database of their own on a
// real PostgreSQL server.
package countytest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// EnvDSN names the variable holding a postgres:// URL of a server where the
// tests may CREATE DATABASE; scripts/with-postgres sets it. EnvRequire set
// to 1 makes a missing server a failure instead of a skip.
const (
	EnvDSN     = "BUDAYANG_TEST_PG"
	EnvRequire = "BUDAYANG_REQUIRE_PG"
)

// PostgresDSN creates an empty database for this test, collating text as
// zh-Hans-CN where the server can, and returns its URL;
// the database is dropped when the test ends. Without EnvDSN the test is
// skipped, or fails when EnvRequire is 1.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		if os.Getenv(EnvRequire) == "1" {
			tb.Fatalf("%s=1 but %s is empty: run under scripts/with-postgres", EnvRequire, EnvDSN)
		}
		tb.Skipf("%s is empty: no PostgreSQL server to test against (scripts/with-postgres runs one)", EnvDSN)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("%s must be a postgres:// URL: %q", EnvDSN, base)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "budayang_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	// A county server in China sorts text the Chinese way, unlike SQLite's
	// bytewise order; the store must not depend on it. Servers before 15 or
	// without ICU get their default collation instead.
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh-Hans-CN'`); err != nil {
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			tb.Fatalf("create test database: %v", err)
		}
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tb.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
