// A tutorial's HTTP client: `net` makes the default (cgo on) build link against glibc.
package main

import (
	"fmt"
	"net"
)

func main() {
	addrs, err := net.LookupHost("localhost")
	fmt.Printf("localhost resolves to %v (err %v)\nGO-REPAIRED-OK\n", addrs, err)
}
