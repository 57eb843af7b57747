/* Definitions made through macros. A body after MACRO(...) is a function
 * named by the macro (as cscope does); file-scope macro invocations are calls
 * without a caller. */
static DEFINE_MUTEX(gadget_lock);
static LIST_HEAD(gadget_list);
DEFINE_PER_CPU(int, gadget_hits);
static DEFINE_PER_CPU(unsigned long, gadget_misses);

SYSCALL_DEFINE3(gadget_open, const char __user *, path, int, flags, umode_t, mode)
{
	return do_gadget_open(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE0(gadget_sync)
{
	gadget_sync_all();
	return 0;
}

COMPAT_SYSCALL_DEFINE2(gadget_stat, const char __user *, path,
		       struct compat_stat __user *, buf)
{
	return gadget_compat_stat(path, buf);
}

BPF_CALL_2(bpf_gadget_lookup, void *, map, void *, key)
{
	return (unsigned long)gadget_lookup(map, key);
}

DEFINE_GADGET_HANDLER(resize)
{
	gadget_resize(gadget);
}

int gadget_count(void)
{
	return gadget_total();
}
EXPORT_SYMBOL(gadget_count);
EXPORT_SYMBOL_GPL(gadget_open);

static int __init gadget_module_init(void)
{
	return gadget_register();
}
module_init(gadget_module_init);
MODULE_LICENSE("GPL");
