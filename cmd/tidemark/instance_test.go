package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/tidemark-dev/tidemark/internal/workspace"
)

// instanceCLI runs the command tree in-process on workspace dir.
func instanceCLI(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := newRootCmd()
	var out, errb bytes.Buffer
	cmd.SetArgs(append([]string{"--workspace", dir}, args...))
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	err := cmd.ExecuteContext(context.Background())
	code = exitCode(err, &errb)
	return out.String(), errb.String(), code
}

// noKeychain simulates headless Linux and keeps the test away from the real ~/.pgpass.
func noKeychain(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("PGPASSFILE", "")
	t.Setenv("PGPASSWORD", "")
}

func TestInstanceAddListRemove(t *testing.T) {
	noKeychain(t)
	dir := t.TempDir()
	const pw = "Cli-S3cret"
	out, errs, code := instanceCLI(t, dir, "instance", "add", "Orders", "--url", "postgres://app:"+pw+"@db.example.com:6432/orders?sslmode=require", "--env", "prod")
	if code != 0 {
		t.Fatalf("add: exit %d, %s", code, errs)
	}
	if strings.Contains(out+errs, pw) {
		t.Fatal("the password was echoed")
	}
	if !strings.Contains(out, `added instance "Orders"`) || !strings.Contains(errs, "no OS keychain available") ||
		!strings.Contains(errs, "NOT stored") || !strings.Contains(errs, "db.example.com:6432:orders:app:<password>") {
		t.Fatalf("add output: %q / %q", out, errs)
	}

	out, errs, code = instanceCLI(t, dir, "instance", "add", "Local", "--url", "postgres://postgres@localhost/postgres")
	if code != 0 || errs != "" {
		t.Fatalf("add local: exit %d, %q", code, errs)
	}

	// Duplicate names are refused (case-insensitive), exit 1.
	_, errs, code = instanceCLI(t, dir, "instance", "add", "orders", "--url", "postgres://x@h/db")
	if code != 1 || !strings.Contains(errs, `an instance named "orders" already exists`) {
		t.Fatalf("duplicate: exit %d, %q", code, errs)
	}

	out, errs, code = instanceCLI(t, dir, "instance", "list", "--format", "json")
	if code != 0 || errs != "" {
		t.Fatalf("list: exit %d %q", code, errs)
	}
	var list []instanceJSON
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(list) != 2 || list[1].Name != "Orders" || list[1].EnvironmentID != "prod" || list[1].Port != 6432 ||
		list[1].SSLMode != "require" || list[1].PasswordMode != "pgpass" || list[0].PasswordMode != "none" || list[0].ID == "" {
		t.Fatalf("list: %+v", list)
	}
	// The JSON shape is the documented one, key for key.
	var raw []map[string]any
	json.Unmarshal([]byte(out), &raw)
	want := []string{"database", "environmentId", "host", "id", "isSample", "lastError", "lastSyncAt", "name", "passwordMode", "port", "sslmode", "user"}
	var keys []string
	for k := range raw[0] {
		keys = append(keys, k)
	}
	if len(keys) != len(want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for _, k := range want {
		if _, ok := raw[0][k]; !ok {
			t.Fatalf("key %s missing", k)
		}
	}

	out, _, code = instanceCLI(t, dir, "instance", "list")
	if code != 0 || !strings.Contains(out, "NAME") || !strings.Contains(out, "db.example.com:6432") || strings.Contains(out, pw) {
		t.Fatalf("text list: %q", out)
	}

	out, errs, code = instanceCLI(t, dir, "instance", "remove", "ORDERS")
	if code != 0 || !strings.Contains(out, "not contacted") {
		t.Fatalf("remove: exit %d %q %q", code, out, errs)
	}
	_, errs, code = instanceCLI(t, dir, "instance", "remove", "Orders")
	if code != 1 || !strings.Contains(errs, `no instance named "Orders"`) {
		t.Fatalf("remove missing: exit %d %q", code, errs)
	}

	// The password never reached the workspace.
	for _, f := range []string{"tidemark.db", "tidemark.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		if strings.Contains(string(b), pw) {
			t.Fatalf("password in %s", f)
		}
	}
}

func TestInstanceAddUsageErrors(t *testing.T) {
	noKeychain(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"instance", "add", "X"}, "missing --url"},
		{[]string{"instance", "add", "X", "--url", "postgres://u:pw@h:abc/d"}, `port "abc" is not a number`},
		{[]string{"instance", "add", "X", "--url", "mysql://u:pw@h/d"}, `unsupported URL scheme "mysql"`},
		{[]string{"instance", "add", "X", "--url", "postgres://u:pw@h/d?sslmode=yes"}, `unknown sslmode "yes"`},
		{[]string{"instance", "add", "X", "--url", "postgres://u@h/d", "--env", "staging"}, `no environment "staging"`},
		{[]string{"instance", "add", "--url", "postgres://u@h/d"}, "accepts 1 arg"},
		{[]string{"instance", "list", "--format", "xml"}, "want text or json"},
	} {
		_, errs, code := instanceCLI(t, dir, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Contains(errs, "pw@") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestInstanceAddPasswordStdin: the password can come from standard input,
// never from the command line; with the URL holding one too it is a usage error.
func TestInstanceAddPasswordStdin(t *testing.T) {
	keyring.MockInit()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/mock")
	t.Setenv("HOME", t.TempDir())
	dir := t.TempDir()
	const pw = "From-Stdin pw"
	run := func(stdin string, args ...string) (string, string, int) {
		cmd := newRootCmd()
		var out, errb bytes.Buffer
		cmd.SetArgs(append([]string{"--workspace", dir}, args...))
		cmd.SetIn(strings.NewReader(stdin))
		cmd.SetOut(&out)
		cmd.SetErr(&errb)
		code := exitCode(cmd.ExecuteContext(context.Background()), &errb)
		return out.String(), errb.String(), code
	}
	out, errs, code := run(pw+"\r\n", "instance", "add", "S", "--url", "postgres://app@h.example/db", "--password-stdin")
	if code != 0 || errs != "" || strings.Contains(out, pw) || !strings.Contains(out, "the OS keychain") {
		t.Fatalf("add: exit %d %q %q", code, out, errs)
	}
	ws, err := workspace.Open(context.Background(), dir, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ws.GetInstanceByName(context.Background(), "S")
	ws.Close()
	if err != nil || in.PasswordMode != workspace.PasswordKeychain {
		t.Fatalf("instance: %+v %v", in, err)
	}
	if got, err := keyring.Get(keychainService, in.ID); err != nil || got != pw {
		t.Fatalf("keychain holds %q, %v; want the first stdin line", got, err)
	}
	for _, tc := range []struct{ stdin, url, want string }{
		{"x\n", "postgres://app:inurl@h/db", "already holds a password"},
		{"", "postgres://app@h/db", "holds no password"},
		{"\nsecond-line\n", "postgres://app@h/db", "holds no password"},
	} {
		_, errs, code := run(tc.stdin, "instance", "add", "T", "--url", tc.url, "--password-stdin")
		if code != 2 || !strings.Contains(errs, tc.want) || strings.Contains(errs, "inurl") || strings.Contains(errs, "second-line") {
			t.Errorf("stdin %q url %q: exit %d, %q; want exit 2 with %q", tc.stdin, tc.url, code, errs, tc.want)
		}
	}
}

func TestInstanceAddKeychain(t *testing.T) {
	keyring.MockInit()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/mock")
	t.Setenv("HOME", t.TempDir())
	dir := t.TempDir()
	const pw = "In-The-Keychain"
	out, errs, code := instanceCLI(t, dir, "instance", "add", "K", "--url", "postgres://app:"+pw+"@h.example/db")
	if code != 0 || errs != "" || strings.Contains(out, pw) || !strings.Contains(out, "the OS keychain") {
		t.Fatalf("add: exit %d %q %q", code, out, errs)
	}
	ws, err := workspace.Open(context.Background(), dir, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ws.GetInstanceByName(context.Background(), "K")
	ws.Close()
	if err != nil || in.PasswordMode != workspace.PasswordKeychain {
		t.Fatalf("instance: %+v %v", in, err)
	}
	if got, err := keyring.Get(keychainService, in.ID); err != nil || got != pw {
		t.Fatalf("keychain: %q %v", got, err)
	}
	if _, _, code := instanceCLI(t, dir, "instance", "remove", "K"); code != 0 {
		t.Fatal("remove failed")
	}
	if _, err := keyring.Get(keychainService, in.ID); err != keyring.ErrNotFound {
		t.Fatalf("password left in the keychain: %v", err)
	}
}

// TestInstanceCLIWhileAppRuns: the desktop app holds the exclusive lock; the
// CLI still reads and writes the same workspace.
func TestInstanceCLIWhileAppRuns(t *testing.T) {
	noKeychain(t)
	dir := t.TempDir()
	appWS, err := workspace.Open(context.Background(), dir, workspace.OpenOptions{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer appWS.Close()
	if _, errs, code := instanceCLI(t, dir, "instance", "add", "A", "--url", "postgres://u@h/d"); code != 0 {
		t.Fatalf("add while the app runs: %q", errs)
	}
	if _, err := appWS.GetInstanceByName(context.Background(), "A"); err != nil {
		t.Fatalf("the app does not see the CLI's instance: %v", err)
	}
	if out, _, code := instanceCLI(t, dir, "instance", "list", "--format", "json"); code != 0 || !strings.Contains(out, `"name": "A"`) {
		t.Fatalf("list while the app runs: %q", out)
	}
}

func TestInstanceNewerWorkspaceRefused(t *testing.T) {
	noKeychain(t)
	dir := t.TempDir()
	ws, err := workspace.Open(context.Background(), dir, workspace.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ws.DB().Exec("PRAGMA user_version = 999")
	ws.Close()
	_, errs, code := instanceCLI(t, dir, "instance", "list")
	if code != 1 || !strings.Contains(errs, "newer Tidemark") || !strings.Contains(errs, "999") {
		t.Fatalf("exit %d %q", code, errs)
	}
}
