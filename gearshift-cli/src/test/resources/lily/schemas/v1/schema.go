package v1

// Shaped as Lily's schemas/v1/schema.go: the patch list and its Register method, which the extractor must not
// take for a patch.

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/go-pg/migrations/v8"
	"golang.org/x/xerrors"

	"github.com/filecoin-project/lily/schemas"
)

const MajorVersion = 1

func init() {
	schemas.RegisterSchema(MajorVersion)
}

func GetBase(cfg schemas.Config) (string, error) {
	tmpl, err := template.New("base").Funcs(schemaTemplateFuncMap).Parse(BaseTemplate)
	if err != nil {
		return "", xerrors.Errorf("parse base template: %w", err)
	}
	var buf strings.Builder
	if err := tmpl.Execute(&buf, cfg); err != nil {
		return "", xerrors.Errorf("execute base template: %w", err)
	}
	return buf.String(), nil
}

var patches = NewPatchList()

type patch struct {
	seq  int
	tmpl *template.Template
}

type patchList struct {
	pm map[int]patch
}

func NewPatchList() patchList {
	return patchList{map[int]patch{}}
}

// Register adds a patch to the patch list. This should be called in an init function.
func (pl *patchList) Register(seq int, text string) {
	if seq <= 0 {
		panic(fmt.Sprintf("invalid patch number: %d", seq))
	}
	tmpl, err := template.New("patch").Funcs(schemaTemplateFuncMap).Parse(text)
	if err != nil {
		panic(fmt.Sprintf("parse patch template: %v", err))
	}
	pl.pm[seq] = patch{seq: seq, tmpl: tmpl}
}

func (pl *patchList) Collection(cfg schemas.Config) (*migrations.Collection, error) {
	migs := make([]*migrations.Migration, 0, len(pl.pm))
	coll := migrations.NewCollection(migs...)
	coll.SetTableName(cfg.SchemaName + ".gopg_migrations")
	return coll, nil
}
