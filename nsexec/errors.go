package nsexec

import "errors"

// Sentinels callers branch on with errors.Is.
var (
	// ErrNotFound: the named namespace, process or path does not exist.
	ErrNotFound = errors.New("network namespace not found")
	// ErrPermission: the caller lacks CAP_SYS_ADMIN (or the file's permissions).
	ErrPermission = errors.New("permission denied")
	// ErrNotNetns: the path exists but is not a network namespace.
	ErrNotNetns = errors.New("not a network namespace")
	// ErrExists: Create was asked for a name that is taken.
	ErrExists = errors.New("network namespace already exists")
)

// Error is a failure a user can act on: Msg is the one line to print, Kind
// the sentinel it matches and Err the underlying system error, if any.
type Error struct {
	Msg  string
	Kind error
	Err  error
}

func (e *Error) Error() string { return e.Msg }

// Unwrap lets errors.Is match both the sentinel and the system error.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// PermissionHint is the line printed when entering a namespace is refused.
const PermissionHint = "entering a network namespace needs CAP_SYS_ADMIN: run as root or grant it with setcap cap_sys_admin+ep"
