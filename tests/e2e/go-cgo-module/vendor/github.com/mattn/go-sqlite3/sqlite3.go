// Package sqlite3 is a stand-in for the real driver (not reachable here): like it, it is a
// cgo package, so a build with CGO_ENABLED=0 has no Go files to compile.
package sqlite3

// static int answer(void) { return 42; }
import "C"

// Answer calls into C.
func Answer() int { return int(C.answer()) }
