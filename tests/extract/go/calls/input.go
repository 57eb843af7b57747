package app

import (
	"fmt"
	str "strings"
)

type App struct {
	db    *DB
	names []string
}

func (a *App) Run(args []string) error {
	fmt.Println("start")
	name := str.ToUpper(args[0])
	a.db.conn.Exec(name)
	a.save(name)
	defer a.db.Close()
	go worker(a)
	n := len(args)
	b := []byte(name)
	x := int64(n)
	v := Pair[int, string](1, "a")
	w := Box[int](x)
	y := other.Make[int](n)
	z := newThing().Init(b)
	return fmt.Errorf("%d %v %v %v %v", x, v, w, y, z)
}

func worker(a *App) {
	func() {
		a.Run(nil)
	}()
	process(helper(1), mathx.Max(2, 3))
}
