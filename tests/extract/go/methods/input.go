package server

type Server struct {
	addr string
}

func (s *Server) Start() error {
	return s.listen()
}

func (s Server) Addr() string { return s.addr }

func (*Server) helper() {}

type List[T any] struct {
	items []T
}

func (l *List[T]) Push(x T) {
	l.items = append(l.items, x)
	l.grow()
}

func (l *List[T]) grow() {}

func (c *Client) Close() error {
	return c.conn.Close()
}

type Loader struct {
	load, check func(string) error
	name        string
}

func (l *Loader) Run(k string) error {
	l.reset()
	if err := l.check(k); err != nil {
		return err
	}
	return l.load(k)
}
