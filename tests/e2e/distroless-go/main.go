package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"time"
)

// The contract of a Go binary on a shell-less base: the system's CA bundle
// (an HTTPS client needs it) and the time zone database (time.LoadLocation
// reads /usr/share/zoneinfo), both of which distroless static brings.
func main() {
	pool, err := x509.SystemCertPool()
	if err != nil || len(pool.Subjects()) == 0 { //nolint:staticcheck // Subjects is fine for a count
		fmt.Println("no CA certificates: HTTPS would fail")
		os.Exit(1)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Println("no time zone database:", err)
		os.Exit(1)
	}
	when := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(berlin)
	fmt.Printf("%d CA certificates, noon UTC is %s in Berlin\nGO-DISTROLESS-OK\n", len(pool.Subjects()), when.Format("15:04 MST"))
}
