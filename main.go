// Command tidemark (the desktop build; the CLI is cmd/tidemark) is the Tidemark desktop app: it opens the workspace, binds the
// app/ services to the Vue frontend embedded from frontend/dist, and runs the Wails window.
// All behaviour lives in app/ and internal/; this file only wires them.
package main

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tidemark-dev/tidemark/app"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// frontend/dist holds a committed .gitkeep so this embed (and go vet) works on a fresh clone
// before the frontend is built; `all:` is what includes that dotfile.
//
//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	dir, err := workspaceDir(os.Args[1:], os.Getenv, os.UserConfigDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tidemark:", err)
		os.Exit(1)
	}
	a, err := app.New(app.Options{WorkspaceDir: dir})
	if err != nil {
		// e.g. another window already has this workspace open, or it was written by a newer Tidemark
		fmt.Fprintln(os.Stderr, "tidemark:", err)
		os.Exit(1)
	}
	err = wails.Run(&options.App{
		Title:            "Tidemark",
		Width:            1280,
		Height:           820,
		MinWidth:         900,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        a.Startup,
		OnShutdown:       a.Shutdown,
		Bind:             a.Services(),
		Linux:            &linux.Options{Icon: icon, ProgramName: "tidemark"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "tidemark:", err)
		os.Exit(1)
	}
}

// workspaceDir picks the workspace: --workspace DIR (or --workspace=DIR), then $TIDEMARK_HOME,
// then <user config dir>/tidemark. The flag is read by hand because the dev build's own flags
// (-assetdir, -devserver, ...) share the command line and a flag.FlagSet would reject them.
func workspaceDir(args []string, getenv func(string) string, configDir func() (string, error)) (string, error) {
	for i, arg := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") || name != "workspace" {
			continue
		}
		if !hasValue {
			if i+1 >= len(args) || args[i+1] == "" {
				return "", fmt.Errorf("--workspace needs a directory")
			}
			value = args[i+1]
		}
		return filepath.Abs(value)
	}
	if home := getenv("TIDEMARK_HOME"); home != "" {
		return filepath.Abs(home)
	}
	base, err := configDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory (set TIDEMARK_HOME or --workspace): %w", err)
	}
	return filepath.Join(base, "tidemark"), nil
}
