package retrysafety

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// The system rule. Some calls of the standard library change something
// outside the process that no variable of the body holds: a process they
// run, a file they rename or remove, a mail they send. The change is made
// when the call succeeds, so it is a write the moment the call returns:
// harmless as the last call that can fail (a failed call changed nothing a
// retry would repeat, or failed for good), but a retry of the body after a
// later call fails makes it again. A deployer that runs `git push` and
// then notifies a server pushes twice when the notification is retried; a
// method that renames a file and then fails to upload it fails the second
// time on the rename (the file is gone), returning that error instead of
// the upload's.
//
// The calls judged:
//
//   - os/exec's Cmd.Run, Start, Output and CombinedOutput: a process can
//     do anything, and nothing here says what (a command that only reads
//     can be declared with repeatable-funcs);
//   - os.Rename, Remove, Mkdir, Link and Symlink, which a second run finds
//     done and fails (RemoveAll, MkdirAll, WriteFile, Create and Chmod
//     leave what one run leaves and are not judged);
//   - os.OpenFile with O_APPEND (each run appends again) or O_EXCL (the
//     second run finds the file), or with flags computed at run time;
//   - os.Process.Kill and Signal, and net/smtp.SendMail.
//
// Like the database's, the change is noted as package state, so callers
// in any package see it through the Writes fact.
var osEffects = map[string]string{
	"os/exec.Cmd.Run":            "runs a process",
	"os/exec.Cmd.Start":          "starts a process",
	"os/exec.Cmd.Output":         "runs a process",
	"os/exec.Cmd.CombinedOutput": "runs a process",
	"os.Rename":                  "renames a file",
	"os.Remove":                  "removes a file",
	"os.Mkdir":                   "makes a directory",
	"os.Link":                    "makes a link",
	"os.Symlink":                 "makes a link",
	"os.Process.Kill":            "signals a process",
	"os.Process.Signal":          "signals a process",
	"net/smtp.SendMail":          "sends a mail",
}

// osEffect fills e when c, a call of fn, changes something outside the
// process (the rule above), and reports whether it did.
func (s *fnState) osEffect(c *ast.CallExpr, fn *types.Func, e *event) bool {
	if fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os", "os/exec", "net/smtp":
	default:
		return false
	}
	key := txHelperKey(fn)
	what, flag := osEffects[key], ""
	if key == "os.OpenFile" && len(c.Args) > 1 {
		what, flag = openEffect(fn.Pkg(), s.info.Types[c.Args[1]].Value)
	}
	if what == "" {
		return false
	}
	// Named by the function ("exec.Cmd.Run"), not the call: the command
	// line built in it would drown the message.
	name := fn.Pkg().Name() + "." + fn.Name()
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		name = fn.Pkg().Name() + "." + recvTypeName(recv.Type()) + "." + fn.Name()
	}
	if flag != "" {
		name += " with " + flag
	}
	e.what = what + " (" + name + ")"
	s.note(root{kind: rootGlobal}, e.what+" at "+s.r.where(c.Pos()), nil)
	return true
}

// openEffect says what opening a file with flag, a constant of package os
// or nil when computed at run time, changes that a second open would not
// leave as the first did, and the flag that does it: "" when nothing (a
// read, a truncation).
func openEffect(osPkg *types.Package, flag constant.Value) (what, name string) {
	if flag == nil || flag.Kind() != constant.Int {
		return "opens a file", "flags computed at run time"
	}
	has := func(name string) bool {
		c, ok := osPkg.Scope().Lookup(name).(*types.Const)
		if !ok {
			return false
		}
		bit := constant.BinaryOp(flag, token.AND, c.Val())
		return constant.Sign(bit) != 0
	}
	switch {
	case has("O_APPEND"):
		return "opens a file for appending", "O_APPEND"
	case has("O_EXCL"):
		return "creates a file that must not exist", "O_EXCL"
	}
	return "", ""
}
