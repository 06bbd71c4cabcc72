package main
// #cgo LDFLAGS: -lssl
import "C"
func main(){}
