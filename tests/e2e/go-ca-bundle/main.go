package main

import (
	"crypto/x509"
	"fmt"
	"os"
)

// An HTTPS client needs the system's CA bundle: without it every TLS handshake fails.
func main() {
	pool, err := x509.SystemCertPool()
	if err != nil || len(pool.Subjects()) == 0 { //nolint:staticcheck // Subjects is fine for a count
		fmt.Println("no CA certificates: HTTPS would fail")
		os.Exit(1)
	}
	fmt.Printf("%d CA certificates\nGO-CA-OK\n", len(pool.Subjects()))
}
