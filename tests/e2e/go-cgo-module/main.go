package main

import (
	"fmt"

	sqlite3 "github.com/mattn/go-sqlite3"
)

func main() {
	fmt.Printf("cgo says %d\nGO-CGO-OK\n", sqlite3.Answer())
}
