package audit_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var (
	actionCode = regexp.MustCompile(`^[a-z]+\.[a-z_]+$`)
	bareCode   = regexp.MustCompile(`^[a-z_]+$`)
)

// recorders are the functions that take an action code: audit.Record and
// the services' wrappers around it.
var recorders = map[string]bool{"Record": true, "record": true, "write": true, "change": true, "close": true, "act": true, "callTx": true}

// recordedActions finds, in the non-test Go files under root, the action
// codes the program records: dotted literals passed to a recorder, assigned
// to a variable named action or to a constant named Action…; in package
// cases, the bare codes its record and change take and its Act… constants,
// which it records as "case." + code.
func recordedActions(t *testing.T, root string) map[string]string {
	t.Helper()
	found := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inCases := f.Name.Name == "cases"
		add := func(e ast.Expr, bare bool) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return
			}
			v, _ := strconv.Unquote(lit.Value)
			switch {
			case actionCode.MatchString(v):
				found[v] = fset.Position(lit.Pos()).String()
			case bare && bareCode.MatchString(v):
				found["case."+v] = fset.Position(lit.Pos()).String()
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				if recorders[name] {
					for _, a := range n.Args {
						add(a, inCases && (name == "record" || name == "change"))
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "action" && i < len(n.Rhs) {
						add(n.Rhs[i], false)
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if i < len(n.Values) && (strings.HasPrefix(id.Name, "Action") || (inCases && strings.HasPrefix(id.Name, "Act"))) {
						add(n.Values[i], inCases && !strings.HasPrefix(id.Name, "Action"))
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// The UI words each action from actions.json (its locale spec checks every
// code there has a sentence in zh-CN and en); so the list must hold every
// action the code records, and nothing it no longer does.
func TestActions_ListHoldsEveryRecordedAction(t *testing.T) {
	body, err := os.ReadFile("actions.json")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	if err := json.Unmarshal(body, &listed); err != nil {
		t.Fatal(err)
	}
	found := recordedActions(t, "..")
	for code, where := range found {
		if !slices.Contains(listed, code) {
			t.Errorf("%s records %q, which actions.json does not list", where, code)
		}
	}
	for _, code := range listed {
		if _, ok := found[code]; !ok {
			t.Errorf("actions.json lists %q, which no code records", code)
		}
	}
	if !slices.IsSorted(listed) {
		t.Error("actions.json is not sorted")
	}
}
