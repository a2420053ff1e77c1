package compare

import (
	"context"
	"errors"

	"github.com/tidemark-dev/tidemark/internal/catalog"
	"github.com/tidemark-dev/tidemark/internal/scratch"
)

// LoadSide reads one schema source as a model, as Compare reads each of
// its sides: a .sql file or text loaded into a scratch database on the
// Comparer's scratch server, a stored snapshot, a JSON model file, a
// workspace database or a URL. name ("design", "source") words the errors.
func (c *Comparer) LoadSide(ctx context.Context, name string, s Source, iopts catalog.Options) (Side, error) {
	if err := s.check(name); err != nil {
		return Side{}, err
	}
	var srv scratch.Server
	srvErr := errors.New("no scratch server is set up (choose an instance for scratch databases, or start the sample instance)")
	if s.Kind == File && c.Scratch != nil {
		srv, srvErr = c.Scratch(ctx, true)
	}
	return c.load(ctx, name, s, iopts, srv, srvErr)
}
