package dyn

var handlers = map[string]func(){}

func run(cb func(int), name string) {
	cb(1)
	fn := func() { log("inner") }
	fn()
	handlers[name]()
	(cb)(2)
	makeHandler()()
	for _, h := range list {
		h()
	}
	if f := lookup(name); f != nil {
		f()
	}
	var g = lookup(name)
	g()
	(*T)(nil)
	lookup(name)
}

func after() {
	fn()
	cb(3)
}

func shadow() {
	lookup := func(string) func() { return nil }
	lookup("x")
}

func typed(x any) {
	switch v := x.(type) {
	case func():
		v()
	default:
		describe(v)
	}
}
