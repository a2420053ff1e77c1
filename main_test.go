package main

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestWorkspaceDir(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	config := func() (string, error) { return "/home/u/.config", nil }
	noConfig := func() (string, error) { return "", errors.New("$HOME is not defined") }
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		config func() (string, error)
		want   string
		err    bool
	}{
		{"default is the user config dir", nil, nil, config, "/home/u/.config/tidemark", false},
		{"TIDEMARK_HOME overrides", nil, map[string]string{"TIDEMARK_HOME": "/tmp/tm"}, config, "/tmp/tm", false},
		{"flag beats the environment", []string{"--workspace", "/w"}, map[string]string{"TIDEMARK_HOME": "/tmp/tm"}, config, "/w", false},
		{"flag with =", []string{"--workspace=/w2"}, nil, config, "/w2", false},
		{"single dash, among dev flags", []string{"-assetdir", "frontend/dist", "-workspace", "rel"}, nil, config, abs("rel"), false},
		{"dev flags alone do not count", []string{"-assetdir", "x", "-devserver", "127.0.0.1:1"}, nil, config, "/home/u/.config/tidemark", false},
		{"a value named workspace is not the flag", []string{"-assetdir", "workspace"}, nil, config, "/home/u/.config/tidemark", false},
		{"flag without a value", []string{"--workspace"}, nil, config, "", true},
		{"no config dir and nothing set", nil, nil, noConfig, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := workspaceDir(tt.args, env(tt.env), tt.config)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
