package broken

func good() {
	ok()
}

func bad() {
	x := inside(1,
	more()
}

type T struct {
	x int
	y ]
}

@@@

func after() {
	later()
}

func (t *T) M() { t.good( }
