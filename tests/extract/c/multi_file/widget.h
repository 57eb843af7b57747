#ifndef WIDGET_H
#define WIDGET_H

struct widget {
	int id;
	const struct widget_ops *ops;
};

struct widget_ops {
	int (*start)(struct widget *w);
};

int widget_start(struct widget *w);

static inline int widget_id(const struct widget *w)
{
	return w->id;
}

#endif
