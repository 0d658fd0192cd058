//go:build linux

package store

import (
	"os"
	"syscall"
)

// dontNeed advises the kernel that the n bytes mapped at addr are not needed
// (MADV_DONTNEED): on a shared file mapping they are dropped from the
// process and read back from the file's page cache when touched again.
func dontNeed(addr uintptr, n int64) error {
	page := int64(os.Getpagesize())
	n = (n + page - 1) / page * page
	if addr == 0 || n <= 0 {
		return nil
	}
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(n), syscall.MADV_DONTNEED); e != 0 {
		return e
	}
	return nil
}
