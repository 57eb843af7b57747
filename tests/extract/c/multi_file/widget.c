#include "widget.h"

int widget_start(struct widget *w)
{
	log_start(widget_id(w));
	return w->ops->start(w);
}
