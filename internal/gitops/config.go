package gitops

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the link file at the repository root.
const ConfigFile = "tidemark.yaml"

// Config is the repository side of a project's link: what CI reads and the
// desktop app uses.
type Config struct {
	Branch         string   `yaml:"branch,omitempty" json:"branch"`
	BaseDir        string   `yaml:"baseDir,omitempty" json:"baseDir"`
	Template       string   `yaml:"template,omitempty" json:"template"`
	LatestTemplate string   `yaml:"latestTemplate,omitempty" json:"latestTemplate"`
	Folders        []Folder `yaml:"folders,omitempty" json:"folders"`
	// Policy is the repository path of an optional review/approval/rollout
	// policy file.
	Policy string `yaml:"policy,omitempty" json:"policy,omitempty"`
	// Environments say, per environment ID of the file names, whether it is
	// production and which SQL review policy its files get in CI.
	Environments []Environment `yaml:"environments,omitempty" json:"environments,omitempty"`
	// AllowOutOfOrder accepts a new file whose version is below the highest
	// on the base branch (by default an error: the version already passed).
	AllowOutOfOrder bool `yaml:"allowOutOfOrder,omitempty" json:"allowOutOfOrder,omitempty"`
	// Writeback is the author and committer of the LATEST write-backs
	// (empty: DefaultIdentityName, DefaultIdentityEmail).
	Writeback *CommitIdentity `yaml:"writeback,omitempty" json:"writeback,omitempty"`
}

// CommitIdentity names who commits.
type CommitIdentity struct {
	Name  string `yaml:"name" json:"name"`
	Email string `yaml:"email" json:"email"`
}

// Environment is the CI view of an environment: what `tidemark check`
// knows without a workspace.
type Environment struct {
	ID         string `yaml:"id" json:"id"`
	Production bool   `yaml:"production,omitempty" json:"production,omitempty"`
	// Review is the SQL review policy: a built-in template name (default,
	// test, conventions, advanced, basic) or the repository path of a YAML
	// policy file. Empty: default for production, test for the others.
	Review string `yaml:"review,omitempty" json:"review,omitempty"`
}

// Environment returns the environment id's entry (nil when not listed).
func (c *Config) Environment(id string) *Environment {
	for i := range c.Environments {
		if c.Environments[i].ID == id {
			return &c.Environments[i]
		}
	}
	return nil
}

// Folder is a folder of files in another naming format, with a fixed
// database and environment.
type Folder struct {
	Dir         string `yaml:"dir" json:"dir"`
	Format      string `yaml:"format" json:"format"`
	Database    string `yaml:"database" json:"database"`
	Environment string `yaml:"environment,omitempty" json:"environment,omitempty"`
}

// DefaultConfig is the configuration without a tidemark.yaml: the repository
// root is the base directory and the default templates name the files.
func DefaultConfig() *Config {
	c := &Config{}
	c.fill()
	return c
}

func (c *Config) fill() {
	if c.Branch == "" {
		c.Branch = "main"
	}
	if c.Template == "" {
		c.Template = DefaultTemplate
	}
	if c.LatestTemplate == "" {
		c.LatestTemplate = DefaultLatestTemplate
	}
}

// Validate checks templates and folder rules.
func (c *Config) Validate() error {
	if _, err := NewNamer(c, nil, nil); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, e := range c.Environments {
		if e.ID == "" {
			return fmt.Errorf("environments[%d]: id is required", i)
		}
		if seen[e.ID] {
			return fmt.Errorf("environments[%d]: environment %q is listed twice", i, e.ID)
		}
		seen[e.ID] = true
	}
	for i, f := range c.Folders {
		if f.Dir == "" || f.Database == "" {
			return fmt.Errorf("folders[%d]: dir and database are required", i)
		}
		switch f.Format {
		case FormatFlyway, FormatMigrate, FormatTimestamp:
		default:
			return fmt.Errorf("folders[%d] (%s): format %q is not one of flyway, golang-migrate, timestamp", i, f.Dir, f.Format)
		}
	}
	return nil
}

// ParseConfig reads a tidemark.yaml document; unknown keys are an error so a
// typo is never silently ignored.
func ParseConfig(data []byte) (*Config, error) {
	c := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	c.fill()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	return c, nil
}

// LoadConfig reads dir/tidemark.yaml, or the defaults when it is absent.
func LoadConfig(dir string) (*Config, error) {
	data, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ConfigFile, err)
	}
	return ParseConfig(data)
}

// Marshal renders the configuration as tidemark.yaml.
func (c *Config) Marshal() ([]byte, error) {
	return yaml.Marshal(c)
}
