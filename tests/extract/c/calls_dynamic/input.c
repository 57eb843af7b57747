/* Calls through members and function pointers. */
struct ops {
	int (*open)(int);
	int (*tbl[2])(int);
};
struct dev {
	struct ops *ops;
	struct dev *parent;
	struct ops inline_ops;
};

int (*fp)(int);
struct ops *get_ops(void);

int dispatch(struct dev *d, struct ops s, int x)
{
	d->ops->open(x);                 /* callee open, receiver d->ops */
	s.open(x);                       /* callee open, receiver s */
	d->parent->inline_ops.open(x);
	d -> ops
		-> open(x);              /* whitespace in the receiver collapses */
	(*fp)(x);                        /* callee fp, no receiver */
	(*d->ops->open)(x);
	(d->ops->open)(x);
	fp(x);                           /* can't know: an ordinary call */
	get_ops()->open(x);              /* two sites: get_ops, open */
	s.tbl[1](x);                     /* an element of a table of pointers */
	d[0].ops->open(x);
	return (&s)->open(x);
}
