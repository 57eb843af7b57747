package model

import "io"

type Base struct {
	ID int
}

type Item[T any] struct {
	Base
	*Meta
	io.Reader
	List[T]
	name string
}

type Store interface {
	io.Closer
	Get(id int) (Item[int], error)
	Put(item Item[int]) error
}

type (
	ID      int
	Handler func(int) error
	Alias   = Base
	Shape   = interface{ Area() float64 }
)

type Number interface {
	~int | ~float64
}

func local() {
	type pair struct{ a, b int }
	type reader interface {
		Read() int
	}
}
