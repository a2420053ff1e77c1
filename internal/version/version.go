// Package version holds the build's version, set at link time with
// -ldflags "-X github.com/tidemark-dev/tidemark/internal/version.Version=v1.2.3".
package version

// Version is the Tidemark version; "dev" for untagged builds.
var Version = "dev"
