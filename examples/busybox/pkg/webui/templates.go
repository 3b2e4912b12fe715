package webui

import "html/template"

// SHAPE eager-init-template: the page templates are parsed (and html/template
// escaping analysis prepared) at package initialization, in every binary
// that links webui, even when no page is ever served.
// Cut: parse on first use with sync.OnceValue.
var pages = template.Must(template.New("pages").Parse(`
{{define "layout-head"}}<!doctype html><html><head><meta charset="utf-8"><title>{{.Name}}</title></head><body>{{end}}
{{define "layout-foot"}}<footer>started {{.Started.Format "2006-01-02 15:04:05"}}</footer></body></html>{{end}}
{{define "index"}}{{template "layout-head" .}}
<h1>{{.Name}}</h1>
<ul>{{range .Routes}}<li><a href="{{.}}">{{.}}</a></li>{{else}}<li>no routes</li>{{end}}</ul>
{{template "layout-foot" .}}{{end}}
`))
