package main

import "html/template"

var pages = template.Must(template.ParseGlob("templates/*.html"))
