package shapes

// Plain, generic and package-level function values.
func Area(w, h int) int {
	return w * h
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

var (
	Scale = func(x int) int { return double(x) }
	count, reset = 0, func() { count = 0 }
	_ = Area(1, 2)
)

const Pi, E = 3.14, 2.71

var limit int = compute()

func init() {
	go func() {
		Area(1, 1)
	}()
}
