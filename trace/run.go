package trace

import "context"

// Tracer is a trace whose sockets are open: Open it to learn early whether
// the namespace and sockets are usable (traceroute reports those errors
// before its header line), Run it, Close it.
type Tracer struct {
	cfg Config
	net *sockNet
	seq uint32
}

// Open checks c, fills in the defaults and opens the sockets inside
// c.Target.
func (c Config) Open() (*Tracer, error) {
	c = c.Defaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	n, err := openNet(c)
	if err != nil {
		return nil, err
	}
	return &Tracer{cfg: c, net: n}, nil
}

// Config is the configuration in use, defaults filled in.
func (t *Tracer) Config() Config { return t.cfg }

// Run traces the route, calling emit for every probe in TTL and probe
// order as each completes, and returns the summary. It stops after the hop
// where the destination (or an unreachable error) answered, at MaxTTL, or
// when ctx ends; then it returns what it found with ctx's error.
func (t *Tracer) Run(ctx context.Context, emit func(Probe)) (Result, error) {
	return schedule(ctx, t.cfg, t.net, &t.seq, emit)
}

// Close closes the sockets.
func (t *Tracer) Close() { t.net.close() }

// Run opens a Tracer for c, runs it and closes it.
func (c Config) Run(ctx context.Context, emit func(Probe)) (Result, error) {
	t, err := c.Open()
	if err != nil {
		return Result{}, err
	}
	defer t.Close()
	return t.Run(ctx, emit)
}
