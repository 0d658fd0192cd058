package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryMessageIsUsed: a message of the catalogue that no code names
// is dead text, and a sign that a view writes its own instead.
func TestEveryMessageIsUsed(t *testing.T) {
	fset := token.NewFileSet()
	defined := map[string]bool{}
	used := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "third_party" || n == "testdata" || strings.HasPrefix(n, ".") && n != ".." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		own := filepath.Base(filepath.Dir(path)) == "i18n"
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				if own && len(n.Values) == len(n.Names) {
					for i, v := range n.Values {
						if c, ok := v.(*ast.CallExpr); ok {
							if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "m" && n.Names[i].IsExported() {
								defined[n.Names[i].Name] = true
							}
						}
					}
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "i18n" {
					used[n.Sel.Name] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(defined) < 100 {
		t.Fatalf("found %d messages: the walk missed the catalogue", len(defined))
	}
	for name := range defined {
		if !used[name] {
			t.Errorf("message %s is used nowhere", name)
		}
	}
}
