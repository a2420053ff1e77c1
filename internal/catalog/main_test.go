package catalog_test

import (
	"os"
	"testing"

	"github.com/tidemark-dev/tidemark/internal/pgtest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m, &pg)) }
