package main

import "os"

import (
	"fmt"
	f "path/filepath"
	. "strings"
	_ "net/http/pprof"
	`example.com/raw/pkg`
)

func main() {
	fmt.Println(f.Join(os.Args[0], TrimSpace(" x ")))
	pkg.Do()
}
