package main

import (
	"html/template"
	"os"
)

// the templates are read from disk at run time, relative to the working folder
var pages = template.Must(template.ParseGlob("templates/*.html"))

func main() {
	if err := pages.ExecuteTemplate(os.Stdout, "index.html", "GO-TEMPLATES-OK"); err != nil {
		panic(err)
	}
}
