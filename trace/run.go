package trace

import "context"

// Run traces the route to c.Dest from inside c.Target, calling emit for
// every probe in TTL and probe order as each completes, and returns the
// summary. It stops after the hop where the destination (or an
// unreachable error) answered, at MaxTTL, or when ctx ends; then it
// returns what it found with ctx's error.
func (c Config) Run(ctx context.Context, emit func(Probe)) (Result, error) {
	c = c.Defaults()
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	n, err := openNet(c)
	if err != nil {
		return Result{}, err
	}
	defer n.close()
	var seq uint32
	return schedule(ctx, c, n, &seq, emit)
}
