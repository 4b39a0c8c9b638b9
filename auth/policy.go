package auth

import (
	"bufio"
	"bytes"
	_ "embed"
	"strings"
	"sync"
)

//go:embed data/common-passwords.txt
var commonList []byte

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

// isCommon reports whether pw (case-insensitively) is on the list of common passwords.
func isCommon(pw string) bool {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 44000)
		sc := bufio.NewScanner(bytes.NewReader(commonList))
		for sc.Scan() {
			common[sc.Text()] = struct{}{}
		}
	})
	_, ok := common[strings.ToLower(pw)]
	return ok
}
