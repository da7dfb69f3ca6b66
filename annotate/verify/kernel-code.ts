import { re2 } from '../linear-regex.js';

const LINUX_INCLUDE = re2(/^[ \t]*#[ \t]*include[ \t]*<((?:linux|asm|uapi)\/[^>\n]+)>/gm);
// Names that exist only inside the kernel's own headers (never in the UAPI headers a host ships).
const KERNEL_ONLY = re2(/\b(?:__iomem|__user|__init|__exit|__must_check|MODULE_LICENSE|MODULE_AUTHOR|MODULE_DESCRIPTION|module_init|module_exit|module_pci_driver|EXPORT_SYMBOL|EXPORT_SYMBOL_GPL|THIS_MODULE|printk|KERN_INFO|KERN_ERR|KERN_WARNING|KERN_DEBUG)\b/);

/**
 * The `<linux/…>` headers of Linux kernel code (a driver, a module), or an
 * empty list for anything else. Kernel code is checkable only against a
 * kernel build tree; the host's `/usr/include/linux` holds the user-space
 * API headers of the same names, so a check there fails on `__iomem` or
 * `printk` — a missing dependency, not broken code.
 */
export function linuxKernelHeaders(text: string): string[] {
  const headers = [...text.matchAll(LINUX_INCLUDE)].map((m) => m[1]!);
  return headers.length > 0 && KERNEL_ONLY.test(text) ? [...new Set(headers)] : [];
}
