package hall

import (
	"io/fs"
	"net/http"
)

// SPA serves the built frontend as the hall host does, for another server
// of the same binary (the county): files as they are, index.html for any
// other path so the router takes it.
func SPA(ui fs.FS) http.Handler { return spa(ui) }
