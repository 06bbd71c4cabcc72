package main

import (
	"crypto/sha256"
	"fmt"
	"runtime"
)

func main() {
	sum := sha256.Sum256([]byte("slimfile"))
	fmt.Printf("hello from %s/%s, sha256=%x\nGO-E2E-OK\n", runtime.GOOS, runtime.GOARCH, sum[:4])
}
