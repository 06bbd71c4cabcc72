package main

// #include <stdlib.h>
import "C"
import "fmt"

func main() {
	fmt.Println("abs:", C.abs(-7), "CGO-E2E-OK")
}
